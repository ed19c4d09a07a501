/**
 * Per-row updates by primary key with the SQL text built once per set of columns: Kysely's
 * builder costs more CPU per row than the update itself when a run rewrites thousands of jobs.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { dialectOf } from '../store/dialect.js';

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** Runs `update <table> set … where id = ?` for each row (column names come from code). */
export async function updateRows(
  db: Kysely<Database>,
  table: keyof Database & string,
  rows: ReadonlyArray<{ id: number; set: Record<string, unknown> }>,
): Promise<void> {
  if (rows.length === 0) return;
  const pg = dialectOf(db) === 'postgres';
  const texts = new Map<string, string>();
  for (const row of rows) {
    // undefined values are left as they are, as Kysely's set() does
    const cols = Object.keys(row.set).filter((c) => row.set[c] !== undefined);
    if (cols.length === 0) continue;
    const key = cols.join('\u0000');
    let text = texts.get(key);
    if (text === undefined) {
      const sets = cols.map((c, i) => `${quote(c)} = ${pg ? `$${i + 1}` : '?'}`);
      text = `update ${quote(table)} set ${sets.join(', ')} where "id" = ${pg ? `$${cols.length + 1}` : '?'}`;
      texts.set(key, text);
    }
    const params = cols.map((c) => row.set[c]);
    params.push(row.id);
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}
