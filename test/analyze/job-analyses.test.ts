/**
 * wait-times, usage and efficiency against figures computed independently in plain TS over the
 * generated jobs, on every dialect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobs, type SyntheticJob } from '../../src/analyze/synthetic.js';
import { refreshRollups } from '../../src/analyze/rollups.js';
import { waitTimes } from '../../src/analyze/wait-times.js';
import { usage } from '../../src/analyze/usage.js';
import { efficiency } from '../../src/analyze/efficiency.js';
import { histogramPercentile, waitBucket, emptyHistogram } from '../../src/analyze/wait-buckets.js';
import { inWindow, nearestRank, runtimeNodeSeconds, waitsOf } from './helpers/expected.js';

const DAY = 86400;
const T0 = Date.UTC(2026, 6, 1) / 1000;
const END = T0 + 120 * DAY;

for (const dialect of DIALECTS) {
  describe(`job analyses (${dialect})`, () => {
    let t: TestDatabaseHandle;
    let jobs: SyntheticJob[];
    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      const g = await generateJobs(t.handle.db, { jobs: 3000, from: T0, to: END, seed: 11 });
      jobs = g.jobs;
      await refreshRollups(t.handle.db, g.serverId, T0, END);
    });
    afterAll(async () => t?.drop());

    const from = T0 + 30 * DAY + 3600;
    const to = T0 + 60 * DAY;

    it('wait-times by queue (exact, eligible basis) equal nearest-rank percentiles', async () => {
      const r = await waitTimes(t.handle.db, {
        filter: { from, to },
        basis: 'eligible',
        by: 'queue',
        method: 'exact',
      });
      const queues = [...new Set(jobs.map((j) => j.queue!))].sort();
      expect(r.rows.map((x) => x.queue)).toEqual(queues);
      for (const row of r.rows) {
        const w = waitsOf(jobs, from, to, 'eligible', (j) => j.queue === row.queue);
        expect(row.jobs).toBe(w.length);
        expect(row.p50_s).toBe(nearestRank(w, 50));
        expect(row.p90_s).toBe(nearestRank(w, 90));
        expect(row.p99_s).toBe(nearestRank(w, 99));
        expect(row.max_s).toBe(Math.max(...w));
        expect(row.mean_s).toBe(Math.round(w.reduce((s, x) => s + x, 0) / w.length));
      }
    });

    it('wait-times with a user filter and --by hour, queued basis', async () => {
      const user = jobs[0]!.owner!;
      const r = await waitTimes(t.handle.db, {
        filter: { from, to, user },
        basis: 'queued',
        by: 'hour',
        method: 'exact',
      });
      const hours = new Map<number, number[]>();
      for (const j of jobs) {
        if (j.owner !== user || !inWindow(j.start_time, from, to)) continue;
        const h = Math.floor((j.submit_time! % DAY) / 3600);
        hours.set(h, [...(hours.get(h) ?? []), j.start_time - j.queue_time!]);
      }
      expect(r.rows.map((x) => x.hour)).toEqual(
        [...hours.keys()].sort((a, b) => a - b).map((h) => `${String(h).padStart(2, '0')}:00`),
      );
      for (const row of r.rows) {
        const w = hours.get(Number(String(row.hour).slice(0, 2)))!;
        expect([row.jobs, row.p50_s, row.p90_s]).toEqual([
          w.length,
          nearestRank(w, 50),
          nearestRank(w, 90),
        ]);
      }
    });

    it('approximate wait-times (SQL histogram and rollups) match the bucketed percentiles', async () => {
      const f = { from: T0, to: END };
      for (const basis of ['eligible', 'queued'] as const) {
        const r = await waitTimes(t.handle.db, { filter: f, basis, by: 'none', method: 'approx' });
        const w = waitsOf(jobs, T0, END, basis);
        const h = emptyHistogram();
        for (const x of w) h[waitBucket(x)]!++;
        expect(r.rows[0]!.jobs).toBe(w.length);
        expect(r.rows[0]!.p90_s).toBe(histogramPercentile(h, 90));
        expect(r.notes.join(' ')).toMatch(/APPROXIMATE/);
        // the approximation never understates the exact value
        expect(Number(r.rows[0]!.p90_s)).toBeGreaterThanOrEqual(nearestRank(w, 90)!);
      }
    });

    it('approximate eligible wait-times by queue: counts, mean, max and bucketed percentiles', async () => {
      const f = { from: T0, to: END };
      const r = await waitTimes(t.handle.db, {
        filter: f,
        basis: 'eligible',
        by: 'queue',
        method: 'approx',
      });
      const queues = [...new Set(jobs.map((j) => j.queue!))].sort();
      expect(r.rows.map((x) => x.queue)).toEqual(queues);
      for (const row of r.rows) {
        const w = waitsOf(
          jobs.filter((j) => j.queue === row.queue),
          T0,
          END,
          'eligible',
        );
        const h = emptyHistogram();
        for (const x of w) h[waitBucket(x)]!++;
        expect(row.jobs).toBe(w.length);
        expect(row.mean_s).toBe(Math.round(w.reduce((a, b) => a + b, 0) / w.length));
        expect(row.max_s).toBe(Math.max(...w));
        expect(row.p50_s).toBe(histogramPercentile(h, 50));
        expect(row.p99_s).toBe(histogramPercentile(h, 99));
      }
    });

    it('usage by user from jobs and from rollups equals the independent sum', async () => {
      const f = { from: T0 + 10 * DAY, to: T0 + 40 * DAY }; // day-aligned: both paths see the same jobs
      const exp = new Map<string, { jobs: number; ns: number }>();
      for (const j of jobs) {
        if (!inWindow(j.end_time, f.from, f.to)) continue;
        const e = exp.get(j.owner!) ?? { jobs: 0, ns: 0 };
        e.jobs++;
        e.ns += runtimeNodeSeconds(j);
        exp.set(j.owner!, e);
      }
      const sorted = [...exp.entries()].sort(
        (a, b) => b[1].ns - a[1].ns || b[1].jobs - a[1].jobs || (a[0] < b[0] ? -1 : 1),
      );
      for (const method of ['exact', 'approx'] as const) {
        const r = await usage(t.handle.db, { filter: f, by: 'user', top: 5, method });
        expect(r.rows.map((x) => [x.user, x.jobs, x.node_hours])).toEqual(
          sorted.slice(0, 5).map(([u, e]) => [u, e.jobs, Math.round((e.ns / 3600) * 100) / 100]),
        );
      }
    });

    it('efficiency by queue: walltime ratio, walltime kills, CPU efficiency', async () => {
      const r = await efficiency(t.handle.db, { filter: { from, to }, by: 'queue' });
      for (const row of r.rows) {
        const js = jobs.filter((j) => j.queue === row.queue && inWindow(j.end_time, from, to));
        const ratios = js.map((j) => j.walltime_used_s! / j.walltime_requested_s!);
        const cpu = js
          .filter((j) => j.cput_used_s != null)
          .map((j) => j.cput_used_s! / (j.walltime_used_s! * j.ncpus!));
        const killed = js.filter((j) => j.exit_status === -29).length;
        expect(row.jobs).toBe(js.length);
        expect(row.walltime_ratio_p50).toBe(Math.round(nearestRank(ratios, 50)! * 1000) / 1000);
        expect(row.walltime_ratio_mean).toBeCloseTo(
          ratios.reduce((s, x) => s + x, 0) / ratios.length,
          3,
        );
        expect(row.killed_at_walltime_pct).toBe(Math.round((killed / js.length) * 1000) / 10);
        expect(row.cpu_eff_mean).toBeCloseTo(cpu.reduce((s, x) => s + x, 0) / cpu.length, 3);
        expect(row.jobs_with_cput).toBe(cpu.length);
      }
    });
  });
}
