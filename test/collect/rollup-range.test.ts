/**
 * The aggregate step refreshes the rollups of the days a collection touched. A stored time that
 * moves earlier (an estimated end, stored when PBS purged a job unseen, later replaced by the
 * real end) leaves the old day's rollup wrong unless that day is refreshed too: the touched range
 * must cover the times the update replaced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadLiveStored, recordJobs } from '../../src/collect/job-record.js';
import { upsertServer } from '../../src/collect/server-row.js';
import { StepTimer } from '../../src/collect/types.js';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { makeJob } from './fake-pbs.js';

const DAY = 86_400;
const D1 = 1_800_000_000 - (1_800_000_000 % DAY);
const times = { ctime: D1 + 1800, qtime: D1 + 1800, etime: D1 + 1800, mtime: D1 + 1800 };

for (const dialect of DIALECTS) {
  describe(`touched range of a job update (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => t?.drop());

    it('covers the estimated end that the real end replaced', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const server = await upsertServer(
        db,
        { items: [], repairs: [], pbsServer: null, timestamp: null, pbsVersion: null },
        D1,
        'pbs',
      );
      const record = async (jobs: ReturnType<typeof makeJob>[], now: number, complete: boolean) =>
        recordJobs(
          db,
          server.id,
          jobs,
          await loadLiveStored(db, server.id),
          { now, complete, lastSighting: D1 + 3700 },
          new StepTimer(),
        );
      await record(
        [makeJob(1, { ...times, state: 'R', substate: 42, stime: D1 + 3600 })],
        D1 + 3700,
        true,
      );
      // a complete run six days later without it: purged unseen, end estimated mid-gap
      const missed = await record([], D1 + 6 * DAY, true);
      const estimate = missed.plan.updates[0]!.set.end_time as number;
      expect(estimate).toBeGreaterThan(D1 + 2 * DAY);

      // then PBS shows its real end, on day 1
      const done = makeJob(1, {
        ...times,
        state: 'F',
        substate: 92,
        stime: D1 + 3600,
        obittime: D1 + 7200,
        exitStatus: 0,
      });
      const r = await record([done], D1 + 6 * DAY + 60, false);
      expect(r.plan.updates[0]!.set.end_time).toBe(D1 + 7200);
      expect(r.touched).toEqual({ from: D1 + 1800, to: estimate });
    });
  });
}
