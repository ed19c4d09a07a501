/**
 * A history collected from an emulated cluster: the real collection engine (jobs every 15
 * emulated minutes by default, nodes and system every 30, queues and reservations every hour, each run ending with the aggregate step
 * that refreshes the daily rollups) over the real PBS client answered in-process by the
 * emulator, optionally with a collector outage. Reuses the fidelity harness's client and config.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import {
  advance,
  createCluster,
  now,
  readTruth,
  type TruthJob,
} from '../../../src/emulator/api.js';
import type { PresetName } from '../../../src/emulator/types.js';
import {
  runCollection,
  type CollectionResult,
  type CollectorKind,
} from '../../../src/collect/run.js';
import { FakeClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import type { Database } from '../../../src/store/schema.js';
import { emuConfig, emulatorClient } from '../../collect/emu-harness.js';

export interface HistoryPlan {
  preset: PresetName;
  days: number;
  /** the emulated server's job_history_duration (how long qstat -x keeps finished jobs) */
  historyHours: number;
  /** [fromDay, toDay) (days after the start) with no collection at all */
  outage?: [number, number];
  seed?: number;
  /** emulated start, UTC epoch seconds (default Mon 5 Jan 2026 00:00 UTC) */
  start?: number;
  /** seconds between job collections (default 900) */
  step?: number;
  /** collect only jobs (no nodes, system, queues, reservations): enough for the rollups */
  jobsOnly?: boolean;
}

export interface EmulatedHistory {
  dir: string;
  truth: TruthJob[];
  /** emulated instants of the first and last collection */
  firstRun: number;
  lastRun: number;
  results: CollectionResult[];
  cleanup(): void;
}

/** Collects `plan.days` of emulated time into `db`. */
export async function collectEmulatedHistory(
  db: Kysely<Database>,
  plan: HistoryPlan,
): Promise<EmulatedHistory> {
  const dir = mkdtempSync(join(tmpdir(), 'pbsmon-analyze-emu-'));
  createCluster(dir, {
    preset: plan.preset,
    seed: plan.seed ?? 5,
    historyHours: plan.historyHours,
    start: plan.start ?? Date.UTC(2026, 0, 5) / 1000,
  });
  const start = now(dir);
  const clock = new FakeClock(start * 1000);
  const ctx = {
    db,
    pbs: emulatorClient(dir),
    clock,
    logger: silentLogger(),
    config: emuConfig(),
    spoolDir: join(dir, 'spool'),
  };
  const results: CollectionResult[] = [];
  const step = plan.step ?? 900;
  const perHour = Math.max(1, Math.round(3600 / step));
  const steps = Math.round((plan.days * 86400) / step);
  let lastRun = start;
  for (let i = 0; i <= steps; i++) {
    const t = start + i * step;
    if (i > 0) advance(dir, step);
    clock.set(t * 1000);
    const day = (i * step) / 86400;
    if (plan.outage && day >= plan.outage[0] && day < plan.outage[1]) continue;
    const kinds: CollectorKind[] = ['jobs'];
    if (!plan.jobsOnly && i % Math.ceil(perHour / 2) === 0) kinds.push('nodes', 'system');
    if (!plan.jobsOnly && i % perHour === 0) kinds.push('queues', 'reservations');
    results.push(...(await runCollection(ctx, kinds)));
    lastRun = t;
  }
  return {
    dir,
    truth: readTruth(dir),
    firstRun: start,
    lastRun,
    results,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
