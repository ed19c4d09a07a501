/** generateJobsSql (the bench's one-statement generator): valid, consistent, deterministic rows. */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobsSql } from '../../src/analyze/synthetic-sql.js';

const DAY = 86400;
const T0 = Date.UTC(2026, 9, 1) / 1000;
const T1 = T0 + 30 * DAY;
const N = 3000;

for (const dialect of DIALECTS) {
  describe(`generateJobsSql (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => t?.drop());

    it('writes n consistent jobs, the same ones for the same seed', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const g = await generateJobsSql(db, { jobs: N, from: T0, to: T1, seed: 3 });
      expect(g.jobs).toBe(N);
      const rows = (await db.selectFrom('jobs').selectAll().orderBy('seq').execute()).map((r) => ({
        ...r,
        seq: Number(r.seq),
        submit_time: Number(r.submit_time),
        eligible_time: Number(r.eligible_time),
        start_time: r.start_time === null ? null : Number(r.start_time),
        end_time: r.end_time === null ? null : Number(r.end_time),
        walltime_requested_s: Number(r.walltime_requested_s),
        walltime_used_s: r.walltime_used_s === null ? null : Number(r.walltime_used_s),
      }));
      expect(rows.length).toBe(N);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      expect(rows[0]!.job_id).toBe('1.synth');
      for (const r of rows) {
        expect(r.submit_time).toBeGreaterThanOrEqual(T0);
        expect(r.submit_time).toBeLessThan(T1);
        expect(r.eligible_time - r.submit_time).toBeGreaterThanOrEqual(0);
        expect(r.eligible_time - r.submit_time).toBeLessThan(7200);
        expect(['workq', 'debug', 'long', 'gpu']).toContain(r.queue);
        expect(r.owner).toMatch(/^user[0-4]\d$/);
        expect(r.state).toBe(r.start_time === null ? 'Q' : r.end_time === null ? 'R' : 'F');
        if (r.start_time !== null) {
          expect(r.start_time).toBeGreaterThanOrEqual(r.eligible_time);
          expect(r.start_time).toBeLessThan(T1);
        }
        if (r.end_time !== null) {
          expect(r.end_time).toBeGreaterThan(r.start_time!);
          expect(r.end_time).toBeLessThan(T1);
          expect(r.walltime_used_s).toBe(
            Math.min(r.end_time - r.start_time!, r.walltime_requested_s),
          );
        }
        if (r.queue === 'debug') expect(r.walltime_requested_s).toBe(1800);
      }
      // spread: every queue used, most jobs finished, waits differ by queue as in makeJob
      const byQueue = new Map<string, number[]>();
      for (const r of rows)
        if (r.start_time !== null)
          byQueue.set(r.queue!, [...(byQueue.get(r.queue!) ?? []), r.start_time - r.eligible_time]);
      expect(byQueue.size).toBe(4);
      const mean = (q: string) =>
        byQueue.get(q)!.reduce((s, v) => s + v, 0) / byQueue.get(q)!.length;
      expect(mean('debug')).toBeLessThan(mean('workq'));
      expect(mean('workq')).toBeLessThan(mean('long'));
      expect(rows.filter((r) => r.state === 'F').length).toBeGreaterThan(N * 0.8);
      // appending continues the numbering; same seed gives the same columns for the same row
      await generateJobsSql(db, { jobs: 10, from: T0, to: T1, seed: 3 });
      const more = await db
        .selectFrom('jobs')
        .select(['seq', 'owner'])
        .where('seq', '>', N)
        .orderBy('seq')
        .execute();
      expect(more.map((r) => Number(r.seq))).toEqual(
        Array.from({ length: 10 }, (_, i) => N + 1 + i),
      );
      expect(more.map((r) => r.owner)).toEqual(rows.slice(0, 10).map((r) => r.owner));
    });
  });
}
