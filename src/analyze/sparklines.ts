/**
 * Sparklines of the last 24 h for `status`: queued jobs and busy nodes, hourly means of the
 * system snapshots, drawn with ▁▂▃▄▅▆▇█ (a space marks an hour without snapshots).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { num, serverWhere } from './sql-util.js';

const BARS = '▁▂▃▄▅▆▇█';

/** Draws values scaled between their min and max; null → space. */
export function sparkline(values: Array<number | null>): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return ' '.repeat(values.length);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (hi === lo) return BARS[hi === 0 ? 0 : 3];
      return BARS[Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))];
    })
    .join('');
}

/**
 * Lines for `status` (e.g. `queued jobs  ▁▂▄▆█▇  now 120  (24 h: 3–140)`), or null when the
 * database holds no system snapshot of the last 24 h (of that server, when named).
 */
export async function sparklineSummary(
  db: Kysely<Database>,
  serverName: string | null,
  now: number,
): Promise<string[] | null> {
  const from = now - 24 * 3600;
  const srv = sql` AND ${serverName ? serverWhere(serverName, 's') : sql`s.server_id IN (SELECT id FROM servers)`}`;
  const res = await sql<{ h: unknown; q: unknown; b: unknown }>`
    SELECT CAST((s.snapshot_time - ${from}) / 3600 AS BIGINT) AS h, AVG(s.jobs_queued) AS q, AVG(s.nodes_assigned) AS b
    FROM system_snapshots s WHERE s.snapshot_time >= ${from} AND s.snapshot_time < ${now + 1}${srv}
    GROUP BY 1 ORDER BY 1`.execute(db);
  if (res.rows.length === 0) return null;
  const queued = new Array<number | null>(24).fill(null);
  const busy = new Array<number | null>(24).fill(null);
  for (const r of res.rows) {
    const h = Math.min(23, num(r.h) ?? 0);
    queued[h] = num(r.q);
    busy[h] = num(r.b);
  }
  const line = (label: string, v: Array<number | null>) => {
    const known = v.filter((x): x is number => x !== null);
    const last = [...v].reverse().find((x) => x !== null) ?? null;
    const r = (x: number) => Math.round(x);
    return `${label.padEnd(12)} ${sparkline(v)}  now ${last === null ? '?' : r(last)}  (24 h: ${r(Math.min(...known))}–${r(Math.max(...known))})`;
  };
  return [line('queued jobs', queued), line('busy nodes', busy)];
}
