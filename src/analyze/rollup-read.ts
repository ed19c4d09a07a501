/** Reading the daily rollups for a window: whole UTC days, same filters as the jobs queries. */
import { sql, type RawBuilder } from 'kysely';
import { DAY, dayOf, describeWindow, type AnalysisFilter } from './window.js';
import { serverWhere } from './sql-util.js';

/** Widens the window to whole UTC days (rollups are per day) and notes it when it changed. */
export function widenToDays(f: AnalysisFilter, notes: string[]): AnalysisFilter {
  const from = dayOf(f.from);
  const to = f.to % DAY === 0 ? f.to : dayOf(f.to) + DAY;
  if (from !== f.from || to !== f.to) {
    notes.push(
      `read from daily rollups: window widened to whole UTC days ${describeWindow({ from, to })}`,
    );
  }
  return { ...f, from, to };
}

/** WHERE fragment over job_daily_rollups `r` for a day-aligned window and the filters. */
export function rollupWhere(f: AnalysisFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`r.day >= ${f.from}`, sql`r.day < ${f.to}`];
  if (f.user) parts.push(sql`r.owner = ${f.user}`);
  if (f.project) parts.push(sql`r.project = ${f.project}`);
  if (f.queue) parts.push(sql`r.queue = ${f.queue}`);
  // always constrain server_id so the (server_id, day, …) primary key serves the day range
  parts.unshift(
    f.server ? serverWhere(f.server, 'r') : sql`r.server_id IN (SELECT id FROM servers)`,
  );
  return sql.join(parts, sql` AND `);
}
