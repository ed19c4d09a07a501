/**
 * The SQL text of multi-row inserts, built directly: Kysely's builder costs as much CPU per row as
 * SQLite's own insert, and a collection writes tens of thousands of rows. Identifiers come from
 * code (row keys and table names), and are quoted anyway; values are always bound parameters.
 */
import type { DialectName } from './db.js';

export interface InsertShape {
  dialect: DialectName;
  table: string;
  columns: readonly string[];
  rows: number;
  conflict?: readonly string[];
  /** with `conflict`: columns to overwrite from the new row; empty = do nothing */
  update?: readonly string[];
  /** SQLite: rowid of each written row; PostgreSQL: whether each row was inserted */
  returning?: boolean;
}

/** An identifier (from code, never from input) quoted for both dialects. */
export const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
const cache = new Map<string, string>();

/** The statement for `rows` rows of `columns` (cached: full chunks repeat the same text). */
export function insertSql(s: InsertShape): string {
  const key = JSON.stringify(s);
  const hit = cache.get(key);
  if (hit) return hit;
  const cols = s.columns.length;
  const tuples: string[] = [];
  if (s.dialect === 'sqlite') {
    const tuple = `(${new Array(cols).fill('?').join(',')})`;
    for (let r = 0; r < s.rows; r++) tuples.push(tuple);
  } else {
    let n = 1;
    for (let r = 0; r < s.rows; r++) {
      const ps: string[] = [];
      for (let c = 0; c < cols; c++) ps.push(`$${n++}`);
      tuples.push(`(${ps.join(',')})`);
    }
  }
  let text = `insert into ${quote(s.table)} (${s.columns.map(quote).join(',')}) values ${tuples.join(',')}`;
  if (s.conflict && s.conflict.length > 0) {
    text += ` on conflict (${s.conflict.map(quote).join(',')}) do `;
    text +=
      s.update && s.update.length > 0
        ? `update set ${s.update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`
        : 'nothing';
  }
  if (s.returning)
    text += s.dialect === 'sqlite' ? ' returning rowid as rid' : ' returning (xmax = 0) as ins';
  if (cache.size > 200) cache.clear();
  cache.set(key, text);
  return text;
}

/** The bound values of rows, column by column (undefined → null). */
export function insertParams(rows: readonly object[], columns: readonly string[]): unknown[] {
  const out: unknown[] = new Array(rows.length * columns.length);
  let i = 0;
  for (const r of rows) {
    const rec = r as Record<string, unknown>;
    for (const c of columns) out[i++] = rec[c] ?? null;
  }
  return out;
}
