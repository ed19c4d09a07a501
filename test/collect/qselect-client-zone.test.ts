/**
 * A job born and finished between two jobs runs is found only through `qselect -x -t m.gt.<time>`.
 * PBS reads that time in the qselect process's own zone (TZ, as mktime(3) does), not in the
 * server's: pbs-monitor formats it in pbs.timezone and hands the same zone to PBS as TZ. The soak
 * (TZ=UTC against a cluster printing America/Chicago) lost such jobs while the emulator read the
 * time in the cluster's zone: 6 h later than meant, so qselect listed nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advance, createCluster, now, readTruth, runPbsCommand } from '../../src/emulator/api.js';
import { runCollection } from '../../src/collect/run.js';
import { createPbsClient } from '../../src/pbs/client.js';
import type { PbsRunner } from '../../src/pbs/runner.js';
import { defaultConfig } from '../../src/config/schema.js';
import { FakeClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';

/** The zone pbs-monitor (and so the PBS commands it runs) uses; the cluster prints America/Chicago. */
const CLIENT_TZ = 'UTC';
const STEP = 30 * 60;

describe('jobs collector: jobs born and gone between two runs (qselect in the client zone)', () => {
  let t: TestDatabaseHandle | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await t?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    t = undefined;
    dir = undefined;
  });

  it('stores every job that finished between two runs, never seen live', async () => {
    t = await openTestDatabase('sqlite');
    const db = t.handle.db;
    dir = mkdtempSync(join(tmpdir(), 'pbsmon-zone-'));
    createCluster(dir, { preset: 'small', seed: 5, historyHours: 24, start: 1_780_000_000 });
    const config = defaultConfig();
    config.pbs.timezone = CLIENT_TZ;
    config.collection.retry = { attempts: 1, base_delay: 0, max_delay: 0 };
    const pbs = createPbsClient({ config, env: {}, logger: silentLogger(), runner: runnerIn(dir) });
    const clock = new FakeClock(now(dir) * 1000);
    const ctx = { db, pbs, clock, logger: silentLogger(), config, spoolDir: join(dir, 'spool') };
    const runs: number[] = [];
    for (let i = 0; i < 16; i++) {
      if (i > 0) advance(dir, STEP);
      clock.set(now(dir) * 1000);
      runs.push(now(dir));
      const [r] = await runCollection(ctx, ['jobs']);
      expect(r?.status, r?.error ?? '').toBe('ok');
    }
    const stored = new Set(
      (await db.selectFrom('jobs').select('job_id').execute()).map((r) => r.job_id),
    );
    const between = readTruth(dir).filter(
      (j) =>
        j.end_time !== null &&
        runs.some((at, k) => k > 0 && j.submit_time > runs[k - 1]! && j.end_time! < at),
    );
    // seeded: 14 such jobs, 4 of them subjobs
    expect(between.length).toBeGreaterThanOrEqual(10);
    expect(between.some((j) => j.array_parent !== null)).toBe(true);
    expect(between.filter((j) => !stored.has(j.job_id)).map((j) => j.job_id)).toEqual([]);
  });
});

/** The emulator's commands run as pbs-monitor's runner runs PBS: TZ set to pbs.timezone. */
function runnerIn(dir: string): PbsRunner {
  return {
    run(command, args) {
      const r = runPbsCommand(command, dir, args, { TZ: CLIENT_TZ, LC_ALL: 'C' });
      if (r.code !== 0) throw new Error(`${command} failed: ${r.stderr}`);
      const stdout = Buffer.isBuffer(r.stdout) ? r.stdout : Buffer.from(r.stdout);
      return Promise.resolve({ stdout, stderr: r.stderr, ms: 0 });
    },
    takeTimings: () => [],
  };
}
