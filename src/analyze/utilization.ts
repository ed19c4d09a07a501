/**
 * `analyze utilization`: nodes / cores / GPUs busy vs available over time, from the system
 * snapshots (means per interval); down+offline and reservation nodes are shown apart, and
 * "available" excludes down and offline nodes. `--by queue` gives each queue's assigned nodes
 * and cores from the queue snapshots.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import { num, num0 } from './sql-util.js';
import { lineSpec } from './plot-specs.js';
import { bucketExpr, isoTime, snapWhere, type SeriesOptions } from './queue-depth.js';

export interface UtilizationOptions extends SeriesOptions {
  by: 'time' | 'queue';
}

const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const pct = (a: number | null, b: number | null) =>
  a === null || !b ? null : Math.round((a / b) * 1000) / 10;

/** Computes the utilization series. */
export async function utilization(
  db: Kysely<Database>,
  o: UtilizationOptions,
): Promise<AnalysisResult> {
  const b = bucketExpr(o.interval);
  const per = o.interval === 3600 ? 'hour' : 'day';
  if (o.by === 'queue') {
    const q = o.filter.queue ? sql` AND s.queue = ${o.filter.queue}` : sql``;
    const res = await sql<Record<string, unknown>>`
      SELECT ${b} AS t, s.queue AS queue, AVG(s.nodes_assigned) AS nodes, AVG(s.ncpus_assigned) AS cores,
        AVG(s.ngpus_assigned) AS gpus
      FROM queue_snapshots s WHERE ${snapWhere(o.filter)}${q} GROUP BY ${b}, s.queue ORDER BY 1, 2`.execute(
      db,
    );
    const rows: Array<Record<string, Cell>> = res.rows.map((r) => ({
      time: isoTime(num0(r.t)),
      queue: String(r.queue),
      nodes_assigned: r1(num(r.nodes)),
      cores_assigned: r1(num(r.cores)),
      gpus_assigned: r1(num(r.gpus)),
    }));
    return {
      title: 'Utilization by queue',
      columns: ['time', 'queue', 'nodes_assigned', 'cores_assigned', 'gpus_assigned'],
      rows,
      notes: [`means per ${per} (UTC) of the queue snapshots`],
      plot: lineSpec({
        title: 'Nodes assigned per queue',
        rows: res.rows.map((r) => ({
          t: num0(r.t),
          queue: String(r.queue),
          nodes: r1(num(r.nodes)),
        })),
        x: 't',
        xTitle: o.interval === 86400 ? 'day (UTC)' : 'time (UTC)',
        y: 'nodes',
        yTitle: `nodes assigned (${per === 'hour' ? 'hourly' : 'daily'} mean)`,
        color: 'queue',
        daily: o.interval === 86400,
      }),
    };
  }
  const res = await sql<Record<string, unknown>>`
    SELECT ${b} AS t, AVG(s.nodes_total) AS nt, AVG(s.nodes_assigned) AS na, AVG(s.nodes_down) AS nd,
      AVG(s.nodes_offline) AS no, AVG(s.nodes_resv) AS nr, AVG(s.cores_total) AS ct, AVG(s.cores_assigned) AS ca,
      AVG(s.gpus_total) AS gt, AVG(s.gpus_assigned) AS ga, COUNT(*) AS n
    FROM system_snapshots s WHERE ${snapWhere(o.filter)} GROUP BY ${b} ORDER BY 1`.execute(db);
  const rows: Array<Record<string, Cell>> = res.rows.map((r) => {
    const nt = num(r.nt);
    const unavailable = (num(r.nd) ?? 0) + (num(r.no) ?? 0);
    const avail = nt === null ? null : nt - unavailable;
    return {
      time: isoTime(num0(r.t)),
      nodes_total: r1(nt),
      nodes_busy: r1(num(r.na)),
      nodes_down_offline: r1(unavailable),
      nodes_resv: r1(num(r.nr)),
      nodes_busy_pct_of_available: pct(num(r.na), avail),
      cores_busy_pct: pct(num(r.ca), num(r.ct)),
      gpus_busy_pct: pct(num(r.ga), num(r.gt)),
      snapshots: num0(r.n),
    };
  });
  return {
    title: 'Utilization',
    columns: [
      'time',
      'nodes_total',
      'nodes_busy',
      'nodes_down_offline',
      'nodes_resv',
      'nodes_busy_pct_of_available',
      'cores_busy_pct',
      'gpus_busy_pct',
      'snapshots',
    ],
    rows,
    notes: [
      `means per ${per} (UTC) of the system snapshots; available = total − down − offline`,
      // PBS lets jobs finish on a node marked offline (draining), and the snapshot counts it busy
      'busy counts nodes running jobs even when down or offline (draining), so busy + down/offline can exceed the total and busy % of available can pass 100',
    ],
    plot: lineSpec({
      title: 'Nodes: total, busy, down/offline, reserved',
      rows: res.rows.flatMap((r) => [
        { t: num0(r.t), series: 'busy', nodes: r1(num(r.na)) },
        { t: num0(r.t), series: 'down+offline', nodes: r1((num(r.nd) ?? 0) + (num(r.no) ?? 0)) },
        { t: num0(r.t), series: 'reserved', nodes: r1(num(r.nr)) },
        { t: num0(r.t), series: 'total', nodes: r1(num(r.nt)) },
      ]),
      x: 't',
      xTitle: o.interval === 86400 ? 'day (UTC)' : 'time (UTC)',
      y: 'nodes',
      yTitle: `nodes (${per === 'hour' ? 'hourly' : 'daily'} mean)`,
      color: 'series',
      daily: o.interval === 86400,
    }),
  };
}
