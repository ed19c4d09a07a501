/**
 * `analyze queue-depth`: queued jobs and requested node-hours over time per queue, from the
 * queue snapshots, averaged (and maxed) per interval.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import type { AnalysisFilter } from './window.js';
import { num, num0, serverWhere } from './sql-util.js';
import { lineSpec } from './plot-specs.js';

export interface SeriesOptions {
  filter: AnalysisFilter;
  /** seconds: 3600 or 86400 */
  interval: number;
}

/** WHERE over a snapshot table aliased `s` for the window and server. */
export function snapWhere(f: AnalysisFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [
    sql`s.snapshot_time >= ${f.from}`,
    sql`s.snapshot_time < ${f.to}`,
  ];
  // always constrain server_id so the (server_id, snapshot_time) index serves the time range
  parts.unshift(
    f.server ? serverWhere(f.server, 's') : sql`s.server_id IN (SELECT id FROM servers)`,
  );
  return sql.join(parts, sql` AND `);
}

export const bucketExpr = (interval: number) =>
  sql.raw(`(CAST(s.snapshot_time / ${interval} AS BIGINT) * ${interval})`);

export const isoTime = (t: number) =>
  new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');

/** Computes the queue-depth series. */
export async function queueDepth(db: Kysely<Database>, o: SeriesOptions): Promise<AnalysisResult> {
  const b = bucketExpr(o.interval);
  const q = o.filter.queue ? sql` AND s.queue = ${o.filter.queue}` : sql``;
  const res = await sql<Record<string, unknown>>`
    SELECT ${b} AS t, s.queue AS queue, AVG(s.queued) AS avg_q, MAX(s.queued) AS max_q,
      AVG(s.queued_node_hours) AS nh, AVG(s.running) AS run, COUNT(*) AS n
    FROM queue_snapshots s WHERE ${snapWhere(o.filter)}${q}
    GROUP BY ${b}, s.queue ORDER BY 1, 2`.execute(db);
  const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  const rows: Array<Record<string, Cell>> = res.rows.map((r) => ({
    time: isoTime(num0(r.t)),
    queue: String(r.queue),
    queued_avg: r1(num(r.avg_q)),
    queued_max: num(r.max_q),
    queued_node_hours_avg: r1(num(r.nh)),
    running_avg: r1(num(r.run)),
    snapshots: num0(r.n),
  }));
  return {
    title: 'Queue depth',
    columns: [
      'time',
      'queue',
      'queued_avg',
      'queued_max',
      'queued_node_hours_avg',
      'running_avg',
      'snapshots',
    ],
    rows,
    notes: [`from queue snapshots, per ${o.interval === 3600 ? 'hour' : 'day'} (UTC)`],
    plot: lineSpec({
      title: 'Queued jobs per queue',
      rows: res.rows.map((r) => ({
        t: num0(r.t),
        queue: String(r.queue),
        queued: r1(num(r.avg_q)),
      })),
      x: 't',
      xTitle: o.interval === 86400 ? 'day (UTC)' : 'time (UTC)',
      y: 'queued',
      yTitle: `queued jobs (${o.interval === 3600 ? 'hourly' : 'daily'} mean)`,
      color: 'queue',
      daily: o.interval === 86400,
    }),
  };
}
