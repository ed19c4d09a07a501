import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobs } from '../../src/analyze/synthetic.js';
import { computeRollups, refreshRollups } from '../../src/analyze/rollups.js';
import { waitBucket } from '../../src/analyze/wait-buckets.js';
import { runtimeNodeSeconds } from './helpers/expected.js';

const DAY = 86400;
const T0 = Date.UTC(2026, 9, 1) / 1000;

for (const dialect of DIALECTS) {
  describe(`rollups (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => t?.drop());

    it('equal an independent per-day computation over the jobs', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const { serverId, jobs } = await generateJobs(db, {
        jobs: 600,
        from: T0,
        to: T0 + 7 * DAY,
        seed: 7,
      });
      await refreshRollups(db, serverId, T0 - DAY, T0 + 8 * DAY);
      const rows = await db.selectFrom('job_daily_rollups').selectAll().execute();
      const byKey = new Map(
        rows.map((r) => [`${Number(r.day)}|${r.queue}|${r.owner}|${r.project}`, r]),
      );
      // independent: fold every job into its days
      const exp = new Map<
        string,
        {
          sub: number;
          st: number;
          fin: number;
          fail: number;
          ns: number;
          ws: number;
          wc: number;
          h: number[];
        }
      >();
      const get = (day: number, j: (typeof jobs)[number]) => {
        const k = `${day}|${j.queue}|${j.owner}|${j.project}`;
        let e = exp.get(k);
        if (!e)
          exp.set(
            k,
            (e = { sub: 0, st: 0, fin: 0, fail: 0, ns: 0, ws: 0, wc: 0, h: new Array(21).fill(0) }),
          );
        return e;
      };
      const d = (x: number) => Math.floor(x / DAY) * DAY;
      for (const j of jobs) {
        get(d(j.submit_time!), j).sub++;
        if (j.start_time != null) {
          const e = get(d(j.start_time), j);
          e.st++;
          const w = j.start_time - j.queue_time!;
          e.ws += w;
          e.wc++;
          e.h[waitBucket(w)] = (e.h[waitBucket(w)] ?? 0) + 1;
        }
        if (j.end_time != null) {
          const e = get(d(j.end_time), j);
          e.fin++;
          if (j.exit_status != null && j.exit_status !== 0) e.fail++;
          e.ns += runtimeNodeSeconds(j);
        }
      }
      expect(rows.length).toBe(exp.size);
      for (const [k, e] of exp) {
        const r = byKey.get(k)!;
        expect(r, k).toBeDefined();
        expect(
          [r.jobs_submitted, r.jobs_started, r.jobs_finished, r.jobs_failed].map(Number),
        ).toEqual([e.sub, e.st, e.fin, e.fail]);
        expect(Number(r.node_seconds)).toBe(e.ns);
        expect(Number(r.wait_sum_s)).toBe(e.ws);
        expect(Number(r.wait_count)).toBe(e.wc);
        expect(JSON.parse(r.wait_hist)).toEqual(e.h);
      }
    });

    it('is idempotent and picks up late-arriving changes when the touched days are recomputed', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const { serverId } = await generateJobs(db, {
        jobs: 300,
        from: T0,
        to: T0 + 7 * DAY,
        seed: 3,
      });
      // incremental: refresh day by day as a collector would, twice over
      for (let day = T0; day < T0 + 7 * DAY; day += DAY)
        await refreshRollups(db, serverId, day, day);
      await refreshRollups(db, serverId, T0, T0 + 6 * DAY);
      // late data: a job of day 2 finishes late and gets a failure status
      const late = await db
        .selectFrom('jobs')
        .selectAll()
        .where('state', '=', 'R')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const end = T0 + 6 * DAY + 3600;
      await db
        .updateTable('jobs')
        .set({ end_time: end, state: 'F', exit_status: 2 })
        .where('id', '=', late.id)
        .execute();
      await refreshRollups(db, serverId, end, end);
      const stored = await db
        .selectFrom('job_daily_rollups')
        .selectAll()
        .orderBy('day')
        .orderBy('queue')
        .orderBy('owner')
        .orderBy('project')
        .execute();
      const fresh = await computeRollups(db, serverId, T0 - DAY, T0 + 8 * DAY);
      const norm = (r: object) => {
        const { hist: _h, ...rest } = r as Record<string, unknown>;
        return Object.fromEntries(
          Object.entries(rest).map(([k, v]) => [
            k,
            typeof v === 'string' &&
            k !== 'wait_hist' &&
            k !== 'queue' &&
            k !== 'owner' &&
            k !== 'project'
              ? Number(v)
              : typeof v === 'bigint'
                ? Number(v)
                : v,
          ]),
        );
      };
      expect(
        stored.map((r) => norm({ ...r, server_id: Number(r.server_id), day: Number(r.day) })),
      ).toEqual(fresh.map(norm));
    });
  });
}
