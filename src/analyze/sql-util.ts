/**
 * Small SQL helpers that work the same on SQLite and PostgreSQL: job filters as raw fragments,
 * the UTC-day expression, and number coercion (pg returns bigint / numeric as strings).
 */
import { sql, type RawBuilder } from 'kysely';
import type { AnalysisFilter } from './window.js';

/** Converts a driver value (number, bigint, numeric string, null) to a number or null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Like num() but 0 for null. */
export function num0(v: unknown): number {
  return num(v) ?? 0;
}

/** `CAST(expr / 86400 AS BIGINT) * 86400`: the UTC midnight of an epoch-seconds column. */
export function dayExpr(col: string): RawBuilder<number> {
  return sql<number>`(CAST(${sql.ref(col)} / 86400 AS BIGINT) * 86400)`;
}

/**
 * WHERE fragment for jobs `alias` whose `timeCol` lies in the window, matching the filters.
 * Array parents are excluded: their subjobs are the units of work. `scan` writes the time column
 * as `+col`, which keeps SQLite from using its index (for windows that cover most jobs).
 */
export function jobWhere(
  f: AnalysisFilter,
  timeCol: 'start_time' | 'end_time' | 'submit_time',
  alias = 'j',
  scan = false,
): RawBuilder<unknown> {
  const c = (name: string) => sql.ref(`${alias}.${name}`);
  const t = scan ? sql`+${c(timeCol)}` : c(timeCol);
  const parts: RawBuilder<unknown>[] = [
    sql`${t} >= ${f.from}`,
    sql`${t} < ${f.to}`,
    sql`${c('is_array_parent')} = 0`,
  ];
  if (f.user) parts.push(sql`${c('owner')} = ${f.user}`);
  if (f.project) parts.push(sql`${c('project')} = ${f.project}`);
  if (f.queue) parts.push(sql`${c('queue')} = ${f.queue}`);
  if (f.server) parts.push(serverWhere(f.server, alias));
  return sql.join(parts, sql` AND `);
}

/** `alias.server_id IN (SELECT id FROM servers WHERE name = ?)` */
export function serverWhere(server: string, alias: string): RawBuilder<unknown> {
  return sql`${sql.ref(`${alias}.server_id`)} IN (SELECT id FROM servers WHERE name = ${server})`;
}
