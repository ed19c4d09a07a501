/** `analyze …` end to end (in-process CLI over a generated history), on every dialect. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobs, type SyntheticJob } from '../../src/analyze/synthetic.js';
import { generateSnapshots } from '../../src/analyze/synthetic-snapshots.js';
import { runCli } from '../analyze/helpers/run-cli.js';
import { nearestRank, waitsOf } from '../analyze/helpers/expected.js';

const DAY = 86400;
const T0 = Date.UTC(2026, 9, 1) / 1000;
const NOW = T0 + 20 * DAY;

for (const dialect of DIALECTS) {
  describe(`analyze CLI (${dialect})`, () => {
    let t: TestDatabaseHandle;
    let jobs: SyntheticJob[];
    const dir = mkdtempSync(join(tmpdir(), 'analyze-cli-'));
    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      jobs = (await generateJobs(t.handle.db, { jobs: 800, from: T0, to: NOW, seed: 5 })).jobs;
    });

    it('wait-times --format json equals the independent nearest-rank figures; stderr has the quality line', async () => {
      const r = await runCli(
        ['analyze', 'wait-times', '--days', '10', '--by', 'none', '--format', 'json'],
        t.handle,
        NOW,
      );
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.stdout) as Array<Record<string, number>>;
      const w = waitsOf(jobs, NOW - 10 * DAY, NOW, 'eligible');
      expect(rows).toEqual([
        {
          group: 'all',
          jobs: w.length,
          mean_s: Math.round(w.reduce((s, x) => s + x, 0) / w.length),
          p50_s: nearestRank(w, 50),
          p90_s: nearestRank(w, 90),
          p99_s: nearestRank(w, 99),
          max_s: Math.max(...w),
        },
      ]);
      expect(r.stderr).toMatch(
        /^data quality: no collection runs logged in the window; \d+ jobs finished in window, \d+ partial lifecycle/m,
      );
      expect(r.stderr).toContain('nearest-rank');
    });

    it('usage --format csv --top 3 prints a header and three rows', async () => {
      const r = await runCli(
        ['analyze', 'usage', '--days', '20', '--format', 'csv', '--top', '3'],
        t.handle,
        NOW,
      );
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\r\n');
      expect(lines[0]).toBe('user,jobs,failed,node_hours,share_pct');
      expect(lines).toHaveLength(4);
    });

    it('efficiency, throughput, quality and the snapshot analyses run as tables', async () => {
      for (const argv of [
        ['analyze', 'efficiency', '--by', 'queue'],
        ['analyze', 'throughput', '--by', 'exit'],
        ['analyze', 'quality'],
        ['analyze', 'utilization', '--interval', '1d'],
        ['analyze', 'queue-depth'],
        ['analyze', 'nodes'],
      ]) {
        const r = await runCli(argv, t.handle, NOW);
        expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      }
      const q = await runCli(['analyze', 'quality', '--format', 'json'], t.handle, NOW);
      const checks = JSON.parse(q.stdout) as Array<{ check: string; value: number }>;
      const partial = jobs.filter(
        (j) =>
          j.lifecycle_quality === 'partial' && j.end_time != null && j.end_time >= NOW - 30 * DAY,
      ).length;
      expect(checks.find((c) => c.check === 'jobs with partial lifecycle')?.value).toBe(partial);
    });

    it('--plot writes a PNG that decodes, has the expected size and is not blank', async () => {
      const file = join(dir, `wait-${dialect}.png`);
      const r = await runCli(
        ['analyze', 'wait-times', '--days', '20', '--plot', file],
        t.handle,
        NOW,
      );
      expect(r.code).toBe(0);
      const png = PNG.sync.read(readFileSync(file));
      expect(png.width).toBeGreaterThan(1000); // 2× zoom of a ~700 px chart
      expect(png.height).toBeGreaterThan(600);
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
      expect(colours.size).toBeGreaterThan(50);
      const svgFile = join(dir, 'usage.svg');
      expect((await runCli(['analyze', 'usage', '--plot', svgFile], t.handle, NOW)).code).toBe(0);
      expect(readFileSync(svgFile, 'utf8')).toMatch(/^<svg[\s\S]*node-hours[\s\S]*<\/svg>$/);
    });

    it('bad flags exit 2 with a clear message', async () => {
      for (const [argv, msg] of [
        [['analyze', 'wait-times', '--basis', 'bogus'], /--basis must be eligible or queued/],
        [['analyze', 'wait-times', '--by', 'colour'], /--by must be one of/],
        [['analyze', 'usage', '--days', '-3'], /--days must be a positive number/],
        [['analyze', 'usage', '--since', 'yesterday'], /--since: cannot read 'yesterday'/],
        [
          ['analyze', 'usage', '--plot', 'x.gif'],
          /--plot: the file name must end in \.png or \.svg/,
        ],
        [['analyze', 'utilization', '--interval', '5m'], /--interval must be 1h or 1d/],
      ] as Array<[string[], RegExp]>) {
        const r = await runCli(argv, t.handle, NOW);
        expect(r.code, argv.join(' ')).toBe(2);
        expect(r.stderr).toMatch(msg);
      }
    });

    it('report writes one self-contained HTML file with inline SVG charts and tables', async () => {
      await generateSnapshots(t.handle.db, { from: NOW - 5 * DAY, to: NOW, stepS: 1800 });
      const file = join(dir, `report-${dialect}.html`);
      const r = await runCli(
        ['report', '--days', '7', '--out', file, '--title', 'Test <cluster>'],
        t.handle,
        NOW,
      );
      expect(r.code, r.stderr).toBe(0);
      const html = readFileSync(file, 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('<h1>Test &#60;cluster&#62;</h1>');
      expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(6);
      for (const h of [
        'Usage by user',
        'Queue wait (eligible) by queue',
        'Efficiency by queue',
        'Throughput per day',
        'Utilization',
        'Node downtime',
        'Data quality',
      ]) {
        expect(html).toContain(`<h2>${h}</h2>`);
      }
      expect(html).toMatch(/data quality: collection coverage/);
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
      expect((await runCli(['report', '--out', 'x.pdf'], t.handle, NOW)).code).toBe(2);
    });
    afterAll(async () => t?.drop());
  });
}
