/** Drives an emulated cluster and the collectors on a schedule (jobs / nodes / queues intervals). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { advance, createCluster, now, readTruth, type TruthJob } from '../../src/emulator/api.js';
import { runCollection, type CollectionResult, type CollectorKind } from '../../src/collect/run.js';
import { FakeClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import type { Database } from '../../src/store/schema.js';
import { emuConfig, emulatorClient } from './emu-harness.js';

export interface Schedule {
  days: number;
  /** job_history_duration of the emulated server */
  historyHours: number;
  /** [fromDay, toDay) with no collection at all */
  outage?: [number, number];
  seed?: number;
}

export interface FidelityRun {
  truth: TruthJob[];
  firstRun: number;
  /** the first run after the outage (null without one) */
  resumeAt: number | null;
  /** the last run before the outage */
  lastBeforeOutage: number | null;
  results: CollectionResult[];
  dir: string;
  cleanup(): void;
}

const STEP = 15 * 60;

/** Runs jobs every 15 emulated minutes, nodes every 30, queues every 60 (none during the outage). */
export async function driveCluster(db: Kysely<Database>, s: Schedule): Promise<FidelityRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pbsmon-emu-'));
  createCluster(dir, {
    preset: 'small',
    seed: s.seed ?? 7,
    historyHours: s.historyHours,
    start: Date.UTC(2026, 0, 5) / 1000,
  });
  const down = { down: false };
  const pbs = emulatorClient(dir, down);
  const start = now(dir);
  const clock = new FakeClock(start * 1000);
  const ctx = {
    db,
    pbs,
    clock,
    logger: silentLogger(),
    config: emuConfig(),
    spoolDir: join(dir, 'spool'),
  };
  const results: CollectionResult[] = [];
  const steps = Math.round((s.days * 86400) / STEP);
  let resumeAt: number | null = null;
  let lastBeforeOutage: number | null = null;
  for (let i = 0; i <= steps; i++) {
    const t = start + i * STEP;
    if (i > 0) advance(dir, STEP);
    clock.set(t * 1000);
    const day = (i * STEP) / 86400;
    if (s.outage && day >= s.outage[0] && day < s.outage[1]) continue;
    if (s.outage && day < s.outage[0]) lastBeforeOutage = t;
    if (s.outage && day >= s.outage[1] && resumeAt === null) resumeAt = t;
    const kinds: CollectorKind[] = ['jobs'];
    if (i % 2 === 0) kinds.push('nodes');
    if (i % 4 === 0) kinds.push('queues');
    results.push(...(await runCollection(ctx, kinds)));
  }
  return {
    truth: readTruth(dir),
    firstRun: start,
    resumeAt,
    lastBeforeOutage,
    results,
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
