/** utilization, queue-depth, node downtime, coverage, quality and sparklines over generated snapshots. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import {
  generateSnapshots,
  type SyntheticSnapshots,
} from '../../src/analyze/synthetic-snapshots.js';
import { utilization } from '../../src/analyze/utilization.js';
import { queueDepth } from '../../src/analyze/queue-depth.js';
import { nodeDowntime, foldNodeEvents } from '../../src/analyze/node-downtime.js';
import { coverageOf, qualityLine } from '../../src/analyze/coverage.js';
import { qualityReport } from '../../src/analyze/quality.js';
import { sparkline, sparklineSummary } from '../../src/analyze/sparklines.js';

const H = 3600;
const T0 = Date.UTC(2026, 10, 1) / 1000;
const END = T0 + 3 * 24 * H;
const GAP = { from: T0 + 30 * H, to: T0 + 34 * H };
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const r1 = (x: number) => Math.round(x * 10) / 10;

describe('pure helpers', () => {
  it('foldNodeEvents clips outages to the window and counts those that begin inside it', () => {
    const ev = [
      { t: 100, to_states: 'down', comment: 'psu' }, // before the window: down at its start
      { t: 1100, to_states: 'free', comment: null },
      { t: 2000, to_states: 'down,offline', comment: 'admin' },
      { t: 2500, to_states: 'offline', comment: null },
      { t: 9000, to_states: 'free', comment: null }, // after the window
    ];
    expect(foldNodeEvents('n1', ev, 1000, 3000)).toEqual({
      node: 'n1',
      down_s: 100 + 500,
      offline_s: 1000,
      outages: 1,
      last_comment: 'admin',
      state_now: 'offline',
    });
  });

  it('coverageOf finds gaps longer than 2.5 × the typical interval, window edges included', () => {
    const starts = [0, 600, 1200, 1800, 6000, 6600, 7200];
    const c = coverageOf(starts, { from: 0, to: 10000 }, 1);
    expect(c.intervalS).toBe(600);
    expect(c.gaps).toEqual([
      { from: 1800, to: 6000 },
      { from: 7200, to: 10000 },
    ]);
    expect(c.coveredPct).toBe(r1((1 - 7000 / 10000) * 100));
    expect(c.failedRuns).toBe(1);
  });

  it('sparkline scales between min and max and leaves gaps blank', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7, null, 7])).toBe('▁▂▃▄▅▆▇█ █');
    expect(sparkline([5, 5])).toBe('▄▄');
  });
});

for (const dialect of DIALECTS) {
  describe(`snapshot analyses (${dialect})`, () => {
    let t: TestDatabaseHandle;
    let s: SyntheticSnapshots;
    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      s = await generateSnapshots(t.handle.db, { from: T0, to: END, gap: GAP, seed: 4 });
    });
    afterAll(async () => t?.drop());

    it('utilization per hour equals the mean of the system snapshots', async () => {
      const r = await utilization(t.handle.db, {
        filter: { from: T0, to: END },
        interval: H,
        by: 'time',
      });
      const hours = new Map<number, typeof s.system>();
      for (const x of s.system) {
        const h = Math.floor(x.snapshot_time / H) * H;
        hours.set(h, [...(hours.get(h) ?? []), x]);
      }
      expect(r.rows).toHaveLength(hours.size); // the 4 h gap has no rows
      const first = hours.get(T0)!;
      expect(r.rows[0]).toMatchObject({
        time: '2026-11-01 00:00',
        nodes_busy: r1(mean(first.map((x) => x.nodes_assigned))),
        nodes_down_offline: r1(mean(first.map((x) => x.nodes_down + x.nodes_offline))),
        cores_busy_pct: r1((mean(first.map((x) => x.cores_assigned)) / (100 * 128)) * 100),
        snapshots: 6,
      });
    });

    it('queue-depth per day per queue', async () => {
      const r = await queueDepth(t.handle.db, {
        filter: { from: T0, to: END, queue: 'gpu' },
        interval: 86400,
      });
      expect(r.rows.map((x) => x.queue)).toEqual(['gpu', 'gpu', 'gpu']);
      const day0 = s.queues.filter((x) => x.queue === 'gpu' && x.snapshot_time < T0 + 86400);
      expect(r.rows[0]!.queued_max).toBe(Math.max(...day0.map((x) => x.queued)));
      expect(r.rows[0]!.queued_avg).toBe(r1(mean(day0.map((x) => x.queued))));
    });

    it('nodes: downtime per node from the events, worst first', async () => {
      const r = await nodeDowntime(t.handle.db, { filter: { from: T0, to: END }, top: 3 });
      const per = new Map<string, number>();
      for (let i = 0; i < s.events.length; i += 2) {
        const a = s.events[i]!;
        const b = s.events[i + 1]!;
        per.set(a.node, (per.get(a.node) ?? 0) + (b.event_time! - a.event_time!));
      }
      const worst = [...per.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3);
      expect(
        r.rows.map((x) => [
          x.node,
          Math.round((Number(x.down_hours) + Number(x.offline_hours)) * 3600),
        ]),
      ).toEqual(worst.map(([n, sec]) => [n, Math.round(Math.round((sec / 3600) * 100) * 36)]));
      expect(r.rows[0]!.outages).toBe(2);
      expect(String(r.rows[0]!.last_comment)).toMatch(/^offline: ticket/);
    });

    it('quality: coverage reflects the gap; failed runs and repairs are counted', async () => {
      const r = await qualityReport(t.handle.db, { from: T0, to: END }, END);
      const v = (check: string) => r.rows.find((x) => x.check === check)?.value;
      expect(v('collection gaps')).toBe(1);
      expect(v('collection coverage %')).toBe(
        r1((1 - (GAP.to - GAP.from + 600) / (END - T0)) * 100),
      );
      expect(v('failed collection runs (all kinds)')).toBe(
        s.log.filter((x) => x.status === 'failed').length,
      );
      expect(v('repairs of malformed PBS output')).toBe(
        s.log.reduce((n, x) => n + (x.repairs ?? 0), 0),
      );
      expect(await qualityLine(t.handle.db, { from: T0, to: END })).toMatch(
        /^data quality: collection coverage \d+(\.\d)?% \(\d+ runs every ~10m00s, 1 gap, longest 4h10m/,
      );
    });

    it('sparklineSummary: two lines over the last 24 h; null without snapshots', async () => {
      const lines = await sparklineSummary(t.handle.db, null, END);
      expect(lines).toHaveLength(2);
      expect(lines![0]).toMatch(/^queued jobs {2}[▁▂▃▄▅▆▇█]{24} {2}now \d+ {2}\(24 h: \d+–\d+\)$/);
      expect(lines![1]).toMatch(/^busy nodes {3}[▁▂▃▄▅▆▇█]{24}/);
      expect(await sparklineSummary(t.handle.db, 'other-server', END)).toBeNull();
      expect(await sparklineSummary(t.handle.db, null, T0 - 86400 * 10)).toBeNull();
    });
  });
}
