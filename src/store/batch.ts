/**
 * Dialect-neutral batch writes: one multi-row statement per chunk (never a round trip per row),
 * chunked so the bound parameters stay under SQLite's 32,766 and PostgreSQL's 65,535 limits.
 */
import { CompiledQuery, sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { dialectOf } from './dialect.js';
import { writeTransaction } from './transaction.js';
import { insertParams, insertSql } from './batch-sql.js';
import type { DialectName } from './db.js';

const MAX_PARAMS = { sqlite: 32_766, postgres: 65_535 } as const;
/**
 * Rows per statement when not told. SQLite (db.ts caches prepared statements): 128-row chunks
 * with the remainder cut into 32s, 8s, 2s and 1s, so every statement has one of five shapes and
 * is compiled once per process; preparing one giant statement per batch used to cost as much as
 * running it. PostgreSQL: fewer, larger statements (each is a round trip, parsed every time).
 */
const DEFAULT_CHUNK = { sqlite: 128, postgres: 1000 } as const;
/** the remainder's piece sizes on SQLite: each a quarter of the one before */
const SQLITE_PIECE_RATIO = 4;

export interface BatchOptions {
  /** rows per statement; lowered when it would exceed the parameter limit */
  chunkSize?: number;
  /** the columns to write (default: every key of any row); saves a pass over the rows */
  columns?: readonly string[];
}

export interface UpsertResult {
  inserted: number;
  updated: number;
}

type TableName = keyof Database & string;

function columnsOf(rows: readonly object[]): string[] {
  const first = Object.keys(rows[0] ?? {});
  const cols = new Set(first);
  for (let i = 1; i < rows.length; i++) {
    for (const k in rows[i]) if (!cols.has(k)) cols.add(k);
  }
  return [...cols];
}

/** Sizes of the statements that write `n` rows, `full` at most per statement. */
export function chunkSizes(n: number, full: number, dialect: DialectName): number[] {
  const out: number[] = [];
  let left = n;
  for (let size = full; left > 0;) {
    while (left >= size) {
      out.push(size);
      left -= size;
    }
    if (left === 0) break;
    // PostgreSQL: the remainder in one statement; SQLite: in pieces of a few cached shapes
    size = dialect === 'postgres' ? left : Math.max(1, Math.floor(size / SQLITE_PIECE_RATIO));
  }
  return out;
}

/** `rows` cut into statements of `columns` bound values per row, within the parameter limit. */
export function chunkRows<R>(
  rows: readonly R[],
  columns: number,
  dialect: DialectName,
  wanted?: number,
): R[][] {
  const byParams = Math.max(1, Math.floor(MAX_PARAMS[dialect] / Math.max(1, columns)));
  const full = Math.max(1, Math.min(wanted ?? DEFAULT_CHUNK[dialect], byParams));
  const out: R[][] = [];
  let i = 0;
  for (const size of chunkSizes(rows.length, full, dialect)) {
    out.push(rows.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Keeps the last row for each conflict key: a statement may not touch one row twice (PostgreSQL). */
function dedupe<R extends object>(rows: R[], keys: string[]): R[] {
  const seen = new Map<unknown, R>();
  for (const r of rows) {
    const rec = r as Record<string, unknown>;
    // typed keys so 1 and '1' stay apart; \u0000 cannot occur in the identifiers PBS prints
    const key =
      keys.length === 1
        ? (rec[keys[0]!] ?? null)
        : keys
            .map((k) => {
              const v = rec[k] ?? null;
              return `${typeof v}:${String(v)}`;
            })
            .join('\u0000');
    seen.set(key, r);
  }
  return seen.size === rows.length ? rows : [...seen.values()];
}

/**
 * Inserts rows, updating `updateColumns` of rows whose `conflictColumns` (a unique key) already
 * exist; with no update columns, existing rows are left as they are. Missing keys are written as
 * null. Runs in a write transaction (or the caller's). Returns how many rows were inserted/updated.
 */
export async function upsertBatch<T extends TableName>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
  conflictColumns: string[],
  updateColumns: string[],
  opts: BatchOptions = {},
): Promise<UpsertResult> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  if (conflictColumns.length === 0) throw new Error('upsertBatch needs the conflict columns');
  const dialect = dialectOf(db);
  const unique = dedupe(rows as object[], conflictColumns);
  const columns = opts.columns ? [...opts.columns] : columnsOf(unique);
  const chunks = chunkRows(unique, columns.length, dialect, opts.chunkSize);
  return writeTransaction(db, async (trx) => {
    let inserted = 0;
    let touched = 0;
    // SQLite cannot say whether an upserted row was new; rowids only grow, so new rows are the ones
    // above the largest rowid before the write (the write lock is held, so nobody else adds rows)
    let maxBefore = 0;
    if (dialect === 'sqlite') {
      const r = await sql<{
        m: number | null;
      }>`select max(rowid) as m from ${sql.table(table)}`.execute(trx);
      maxBefore = Number(r.rows[0]?.m ?? 0);
    }
    for (const chunk of chunks) {
      const text = insertSql({
        dialect,
        table,
        columns,
        rows: chunk.length,
        conflict: conflictColumns,
        update: updateColumns,
        returning: true,
      });
      const res = await trx.executeQuery<{ rid?: number; ins?: boolean }>(
        CompiledQuery.raw(text, insertParams(chunk, columns)),
      );
      touched += res.rows.length;
      for (const r of res.rows) {
        if (dialect === 'sqlite' ? Number(r.rid) > maxBefore : r.ins) inserted += 1;
      }
    }
    return { inserted, updated: touched - inserted };
  });
}

/** Inserts rows in multi-row statements; returns how many were inserted. Missing keys are null. */
export async function insertBatch<T extends TableName>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
  opts: BatchOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const dialect = dialectOf(db);
  const columns = opts.columns ? [...opts.columns] : columnsOf(rows as object[]);
  const chunks = chunkRows(rows as object[], columns.length, dialect, opts.chunkSize);
  return writeTransaction(db, async (trx) => {
    let n = 0;
    for (const chunk of chunks) {
      const text = insertSql({ dialect, table, columns, rows: chunk.length });
      const r = await trx.executeQuery(CompiledQuery.raw(text, insertParams(chunk, columns)));
      n += Number(r.numAffectedRows ?? 0);
    }
    return n;
  });
}

/**
 * insertBatch that also returns `returning` of each inserted row (e.g. the generated ids), in
 * the same statements: no second pass to look the new rows up.
 */
export async function insertBatchReturning<T extends TableName, K extends string>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
  returning: readonly K[],
  opts: BatchOptions = {},
): Promise<Array<Record<K, unknown>>> {
  if (rows.length === 0) return [];
  const dialect = dialectOf(db);
  const columns = opts.columns ? [...opts.columns] : columnsOf(rows as object[]);
  const chunks = chunkRows(rows as object[], columns.length, dialect, opts.chunkSize);
  const tail = ` returning ${returning.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ')}`;
  return writeTransaction(db, async (trx) => {
    const out: Array<Record<K, unknown>> = [];
    for (const chunk of chunks) {
      const text = insertSql({ dialect, table, columns, rows: chunk.length }) + tail;
      const r = await trx.executeQuery<Record<K, unknown>>(
        CompiledQuery.raw(text, insertParams(chunk, columns)),
      );
      for (const row of r.rows) out.push(row);
    }
    return out;
  });
}
