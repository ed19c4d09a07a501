/**
 * The analyses against the emulator's ground truth, on every dialect: two emulated days of a
 * tiny cluster collected every 15 emulated minutes by the real engine, then wait-times, usage,
 * efficiency and throughput (library and built CLI) compared with figures computed from
 * `readTruth` in plain TypeScript (helpers/truth-expected.ts).
 *
 * Exact equality throughout: PBS prints ctime/etime/stime/obittime and resources_used.walltime
 * to the second, so every stored instant and duration is the true one; the only rounding is the
 * analyses' documented display rounding (mean to the second, node-hours to 0.01, ratios to
 * 0.001, shares to 0.1 %), which the expected figures apply the same way. Percentiles are
 * nearest-rank: the value at rank ceil(p/100 · n) of the n sorted waits.
 *
 * The window is [first collection, last collection): every job that started or finished in it
 * was shown by qstat at some run (runs are 15 min apart and PBS keeps finished jobs 8 h).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { runCli } from '../helpers/run-cli.js';
import { runCli as runInProcess } from './helpers/run-cli.js';
import { waitTimes } from '../../src/analyze/wait-times.js';
import { usage } from '../../src/analyze/usage.js';
import { efficiency } from '../../src/analyze/efficiency.js';
import { throughput } from '../../src/analyze/throughput.js';
import { WAIT_BUCKET_EDGES } from '../../src/analyze/wait-buckets.js';
import { pngFacts, svgSize } from './helpers/png-facts.js';
import { collectEmulatedHistory, type EmulatedHistory } from './helpers/emulated-history.js';
import {
  expectedEfficiency,
  expectedThroughput,
  expectedUsage,
  expectedWaitTimes,
  bucketUpperEdge,
  finishedIn,
  type Window,
} from './helpers/truth-expected.js';

const DAYS = 2;
/** the charts; PBSMON_KEEP_PLOTS=1 keeps them so a person can look at them */
const plotDir = mkdtempSync(join(tmpdir(), 'pbsmon-truth-plots-'));
afterAll(() => {
  if (process.env.PBSMON_KEEP_PLOTS === '1') console.log(`plots kept in ${plotDir}`);
  else rmSync(plotDir, { recursive: true, force: true });
});

for (const dialect of DIALECTS) {
  describe(`analyses equal the emulator's truth (${dialect})`, () => {
    let t: TestDatabaseHandle;
    let h: EmulatedHistory;
    let w: Window;
    const cli = (args: string[]) => {
      const r = runCli(
        [...args, '--since', String(w.from), '--until', String(w.to), '--format', 'json'],
        { env: { PBS_MONITOR_DB_URL: t.url } },
      );
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as unknown;
    };

    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      h = await collectEmulatedHistory(t.handle.db, {
        preset: 'tiny',
        days: DAYS,
        historyHours: 8,
      });
      w = { from: h.firstRun, to: h.lastRun };
    }, 120_000);
    afterAll(async () => {
      h?.cleanup();
      await t?.drop();
    });

    it('collected cleanly over a window with enough jobs to mean something', () => {
      expect(h.results.filter((r) => r.status !== 'ok')).toEqual([]);
      expect(w.to - w.from).toBe(DAYS * 86400);
      expect(finishedIn(h.truth, w).length).toBeGreaterThan(150);
    });

    it('wait-times by queue (eligible and queued basis): count, mean, nearest-rank p50/p90/p99, max', async () => {
      for (const basis of ['eligible', 'queued'] as const) {
        const r = await waitTimes(t.handle.db, { filter: w, basis, by: 'queue', method: 'exact' });
        expect(r.rows, basis).toEqual(expectedWaitTimes(h.truth, w, basis));
      }
    });

    it('wait-times from the daily rollups (queued basis): exact count and mean, percentiles at bucket edges', async () => {
      const r = await waitTimes(t.handle.db, {
        filter: w,
        basis: 'queued',
        by: 'queue',
        method: 'approx',
      });
      expect(r.rows).toEqual(
        expectedWaitTimes(h.truth, w, 'queued').map((e) => ({
          ...e,
          p50_s: bucketUpperEdge(e.p50_s, WAIT_BUCKET_EDGES),
          p90_s: bucketUpperEdge(e.p90_s, WAIT_BUCKET_EDGES),
          p99_s: bucketUpperEdge(e.p99_s, WAIT_BUCKET_EDGES),
          max_s: null, // the rollups keep no maximum
        })),
      );
    });

    it('usage per user and per project, top 3: node-hours, jobs, failures, shares', async () => {
      const users = await usage(t.handle.db, { filter: w, by: 'user', top: 3 });
      expect(users.rows).toEqual(expectedUsage(h.truth, w, 'owner', 3));
      const projects = await usage(t.handle.db, { filter: w, by: 'project', top: 3 });
      expect(projects.rows).toEqual(expectedUsage(h.truth, w, 'project', 3));
      // the daily rollups give the same figures (the window is whole UTC days)
      const fromRollups = await usage(t.handle.db, { filter: w, by: 'user', method: 'approx' });
      expect(fromRollups.rows.slice(0, 3)).toEqual(users.rows);
    });

    it('efficiency by queue: walltime used / requested (mean, p50), share killed at walltime, unused node-hours', async () => {
      const r = await efficiency(t.handle.db, { filter: w, by: 'queue' });
      const got = r.rows.map(({ cpu_eff_mean: _c, jobs_with_cput: _n, ...rest }) => rest);
      expect(got).toEqual(expectedEfficiency(h.truth, w));
      // the emulator kills some jobs at their limit: the share is not trivially zero
      expect(got.some((x) => Number(x.killed_at_walltime_pct) > 0)).toBe(true);
    });

    it('throughput per UTC day: started, finished, failed', async () => {
      const r = await throughput(t.handle.db, { filter: w, by: 'day' });
      expect(r.rows).toEqual(expectedThroughput(h.truth, w));
    });

    it('the built CLI prints the same wait-times and usage with --format json', () => {
      expect(cli(['analyze', 'wait-times', '--by', 'queue', '--exact'])).toEqual(
        expectedWaitTimes(h.truth, w, 'eligible'),
      );
      expect(cli(['analyze', 'usage', '--by', 'project', '--top', '3'])).toEqual(
        expectedUsage(h.truth, w, 'project', 3),
      );
    });

    it('wait-times and utilization --plot: PNGs that decode, at 2× the SVG size, with data drawn', async () => {
      for (const cmd of ['wait-times', 'utilization']) {
        const file = (ext: string) => join(plotDir, `${cmd}-${dialect}.${ext}`);
        for (const ext of ['png', 'svg']) {
          const argv = ['analyze', cmd, '--since', String(w.from), '--until', String(w.to)];
          const r = await runInProcess([...argv, '--plot', file(ext)], t.handle, w.to);
          expect(r.code, r.stderr).toBe(0);
        }
        const size = svgSize(readFileSync(file('svg'), 'utf8'));
        const facts = pngFacts(file('png'));
        // rendered at zoom 2 (plot.ts) from a 640 × 320 plot area plus axes, title and legend
        expect([facts.width, facts.height], cmd).toEqual([
          Math.ceil(size.width * 2),
          Math.ceil(size.height * 2),
        ]);
        expect(facts.width).toBeGreaterThan(1280);
        expect(facts.height).toBeGreaterThan(640);
        expect(facts.colours, cmd).toBeGreaterThan(20); // series, axes, anti-aliased text
        expect(facts.firstSeriesPixels, cmd).toBeGreaterThan(500);
        expect(facts.inkShare, cmd).toBeGreaterThan(0.02);
      }
    });
  });
}
