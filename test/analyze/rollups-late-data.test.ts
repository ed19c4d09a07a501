/**
 * The daily rollups the collection maintains equal a from-scratch recomputation after a week of
 * emulated collection with late-arriving data, on every dialect. Late data comes three ways:
 * - a collector outage of a whole day (days 3–4): the jobs that ran and finished in it are
 *   first seen afterwards through `qstat -x` (PBS keeps finished jobs 26 h), their submit,
 *   start and end on an earlier day than the run that records them;
 * - collection every 2 h: a job ending at 23:50 is recorded by the 00:00 run of the next day;
 * - jobs that change after they were first recorded (held and released, requeued and
 *   restarted) move from one rollup row to another.
 * The tiny preset and job collection every 2 h keep the week fast (most of the time is the
 * emulator answering qstat); the rollups depend only on the
 * jobs table, so no other collector runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { computeRollups } from '../../src/analyze/rollups.js';
import { collectEmulatedHistory } from './helpers/emulated-history.js';

const DAY = 86400;

/** A rollup row with numbers as numbers (pg returns bigint columns as strings). */
function normal(r: object) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
    if (k === 'hist') continue;
    out[k] = ['queue', 'owner', 'project', 'wait_hist'].includes(k) ? v : Number(v);
  }
  return out;
}

/** Normalised rows in one order (the database's collation need not sort text as JS does). */
function rowsOf(rows: object[]) {
  const key = (r: Record<string, unknown>) => JSON.stringify([r.day, r.queue, r.owner, r.project]);
  return rows.map(normal).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

for (const dialect of DIALECTS) {
  describe(`rollups after a week of collection with late data (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => t?.drop());

    it('the stored job_daily_rollups equal a from-scratch recomputation, row for row', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const h = await collectEmulatedHistory(db, {
        preset: 'tiny',
        days: 7,
        historyHours: 26,
        outage: [3, 4],
        step: 7200,
        jobsOnly: true,
        seed: 11,
      });
      try {
        expect(h.results.filter((r) => r.status !== 'ok')).toEqual([]);
        const server = await db.selectFrom('servers').select('id').executeTakeFirstOrThrow();
        const lo = Math.floor(h.firstRun / DAY - 3) * DAY; // history from before the first run
        const hi = Math.floor(h.lastRun / DAY + 1) * DAY;
        const stored = await db.selectFrom('job_daily_rollups').selectAll().execute();
        const fresh = await computeRollups(db, Number(server.id), lo, hi);
        expect(stored.every((r) => Number(r.day) >= lo && Number(r.day) < hi)).toBe(true);
        expect(rowsOf(stored)).toEqual(rowsOf(fresh));

        // not vacuous: the week is there, with the outage's late arrivals in it
        const finished = await sql<{ n: unknown }>`
          SELECT COUNT(*) AS n FROM jobs WHERE end_time IS NOT NULL AND is_array_parent = 0`.execute(
          db,
        );
        const rolled = stored.reduce((s, r) => s + Number(r.jobs_finished), 0);
        expect(rolled).toBe(Number(finished.rows[0]!.n));
        expect(rolled).toBeGreaterThan(500);
        const outage = [h.firstRun + 3 * DAY, h.firstRun + 4 * DAY];
        const lateRows = stored.filter(
          (r) => Number(r.day) >= outage[0]! && Number(r.day) < outage[1]!,
        );
        expect(lateRows.reduce((s, r) => s + Number(r.jobs_finished), 0)).toBeGreaterThan(50);
        // recorded by a run on a later UTC day than the one they finished on
        const late = await sql<{ n: unknown }>`
          SELECT COUNT(*) AS n FROM jobs WHERE is_array_parent = 0
            AND CAST(end_time / 86400 AS BIGINT) < CAST(first_seen / 86400 AS BIGINT)`.execute(db);
        expect(Number(late.rows[0]!.n)).toBeGreaterThan(50);

        // and the comparison would notice a day left stale: move one job's end a day later
        // without refreshing the rollups
        const moved = await db
          .selectFrom('jobs')
          .select(['id', 'end_time'])
          .where('end_time', 'is not', null)
          .where('is_array_parent', '=', 0)
          .orderBy('id')
          .executeTakeFirstOrThrow();
        await db
          .updateTable('jobs')
          .set({ end_time: Number(moved.end_time) + DAY })
          .where('id', '=', moved.id)
          .execute();
        const stale = await computeRollups(db, Number(server.id), lo, hi);
        expect(rowsOf(stale)).not.toEqual(rowsOf(stored));
      } finally {
        h.cleanup();
      }
    }, 180_000);
  });
}
