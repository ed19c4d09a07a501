/**
 * Updates of many rows by primary key, one statement per chunk of rows that set the same columns
 * (`update … from (values …)`), never a statement per row: on PostgreSQL each statement is a
 * round trip, and a collection at Aurora scale rewrites thousands of running jobs every tick.
 * The SQL text is built directly (Kysely's builder costs more CPU per row than the update).
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { DialectName } from './db.js';
import { dialectOf } from './dialect.js';
import { chunkRows } from './batch.js';
import { quote } from './batch-sql.js';

export interface RowUpdate {
  id: number;
  /** the columns to write; undefined values are left as they are (as Kysely's set() does) */
  set: Record<string, unknown>;
}

/**
 * The rows with updates of one id merged in order (a later value of a column wins), as running them
 * one after another would: one statement may not update a row twice. Unique ids (the usual case)
 * come back as they are, without copying each row's columns.
 */
function mergeById(rows: readonly RowUpdate[]): readonly RowUpdate[] {
  const ids = new Set<number>();
  for (const r of rows) ids.add(r.id);
  if (ids.size === rows.length) return rows;
  const byId = new Map<number, Record<string, unknown>>();
  for (const r of rows) {
    const set = byId.get(r.id) ?? {};
    for (const c in r.set) if (r.set[c] !== undefined) set[c] = r.set[c];
    byId.set(r.id, set);
  }
  return [...byId].map(([id, set]) => ({ id, set }));
}

/** PostgreSQL types of a table's columns, for the casts a VALUES list of parameters needs. */
const pgTypes = new Map<string, Promise<Map<string, string>>>();

function pgColumnTypes(db: Kysely<Database>, table: string): Promise<Map<string, string>> {
  let types = pgTypes.get(table);
  if (!types) {
    types = sql<{ column_name: string; data_type: string; udt_name: string }>`
      select column_name, data_type, udt_name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}`
      .execute(db)
      .then((r) => {
        const m = new Map<string, string>();
        for (const c of r.rows) {
          const named = c.data_type === 'USER-DEFINED' || c.data_type === 'ARRAY';
          m.set(c.column_name, named ? c.udt_name : c.data_type);
        }
        if (m.size === 0) throw new Error(`table ${table} has no columns in the current schema`);
        return m;
      });
    // a failed look-up (e.g. no table yet) is not remembered
    types.catch(() => pgTypes.delete(table));
    pgTypes.set(table, types);
  }
  return types;
}

/** `update <table> set c = v.c, … from (values (?, …), …) as v where <table>.id = v.id` */
function updateSql(
  dialect: DialectName,
  table: string,
  cols: readonly string[],
  rows: number,
  types: Map<string, string> | null,
): string {
  const width = cols.length + 1;
  const tuples: string[] = [];
  if (dialect === 'sqlite') {
    const tuple = `(${new Array(width).fill('?').join(',')})`;
    for (let r = 0; r < rows; r++) tuples.push(tuple);
    // SQLite names a VALUES list's columns column1, column2, …
    const sets = cols.map((c, i) => `${quote(c)} = v.column${i + 2}`);
    return `update ${quote(table)} set ${sets.join(', ')} from (values ${tuples.join(',')}) as v where ${quote(table)}."id" = v.column1`;
  }
  // PostgreSQL types a VALUES column from its rows: casts on the first row type them all
  const all = ['id', ...cols];
  let n = 1;
  for (let r = 0; r < rows; r++) {
    const ps = all.map((c) => {
      const p = `$${n++}`;
      if (r > 0) return p;
      const type = types?.get(c);
      if (!type) throw new Error(`${table} has no column ${c}`);
      return `${p}::${type}`;
    });
    tuples.push(`(${ps.join(',')})`);
  }
  const sets = cols.map((c) => `${quote(c)} = v.${quote(c)}`);
  return `update ${quote(table)} as t set ${sets.join(', ')} from (values ${tuples.join(',')}) as v(${all.map(quote).join(',')}) where t."id" = v."id"`;
}

/**
 * Updates rows by id: each row's `set` columns get its values. Rows that set the same columns share
 * statements; rows of one id are merged first. Ids that do not exist are skipped. Runs in the
 * caller's transaction when given one (a collection writes its plan in one).
 */
export async function updateBatch(
  db: Kysely<Database>,
  table: keyof Database & string,
  rows: readonly RowUpdate[],
): Promise<void> {
  if (rows.length === 0) return;
  const dialect = dialectOf(db);
  const groups = new Map<string, { cols: string[]; rows: RowUpdate[] }>();
  for (const r of mergeById(rows)) {
    const cols: string[] = [];
    for (const c in r.set) if (r.set[c] !== undefined) cols.push(c);
    if (cols.length === 0) continue;
    const key = cols.join('\u0000');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { cols, rows: [] }));
    g.rows.push(r);
  }
  let types = dialect === 'postgres' && groups.size > 0 ? await pgColumnTypes(db, table) : null;
  if (types && [...groups.values()].some((g) => g.cols.some((c) => !types!.has(c)))) {
    // types remembered from another database of this process (an older schema): look again
    pgTypes.delete(table);
    types = await pgColumnTypes(db, table);
  }
  const texts = new Map<string, string>();
  for (const { cols, rows: group } of groups.values()) {
    // the insert batches' chunking: the same statement shapes, within the parameter limit
    for (const chunk of chunkRows(group, cols.length + 1, dialect)) {
      const key = `${cols.join('\u0000')}\u0001${chunk.length}`;
      let text = texts.get(key);
      if (text === undefined) {
        texts.set(key, (text = updateSql(dialect, table, cols, chunk.length, types)));
      }
      const params: unknown[] = new Array(chunk.length * (cols.length + 1));
      let i = 0;
      for (const { id, set } of chunk) {
        params[i++] = id;
        for (const c of cols) params[i++] = set[c] ?? null;
      }
      await db.executeQuery(CompiledQuery.raw(text, params));
    }
  }
}
