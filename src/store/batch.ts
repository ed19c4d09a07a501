/**
 * Dialect-neutral batch writes: one multi-row statement per chunk (never a round trip per row),
 * chunked so the bound parameters stay under SQLite's 32,766 and PostgreSQL's 65,535 limits.
 */
import { CompiledQuery, sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { dialectOf } from './dialect.js';
import { writeTransaction } from './transaction.js';
import { insertParams, insertSql } from './batch-sql.js';

const MAX_PARAMS = { sqlite: 32_766, postgres: 65_535 } as const;
/** rows per statement when not told: big enough to amortise, small enough to parse quickly */
const DEFAULT_CHUNK = 1000;

export interface BatchOptions {
  /** rows per statement; lowered when it would exceed the parameter limit */
  chunkSize?: number;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
}

type TableName = keyof Database & string;

function columnsOf(rows: readonly object[]): string[] {
  const cols = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) cols.add(k);
  return [...cols];
}

function chunkRows<R>(
  rows: R[],
  columns: number,
  dialect: 'sqlite' | 'postgres',
  wanted?: number,
): R[][] {
  const byParams = Math.max(1, Math.floor(MAX_PARAMS[dialect] / Math.max(1, columns)));
  const size = Math.max(1, Math.min(wanted ?? DEFAULT_CHUNK, byParams));
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Keeps the last row for each conflict key: a statement may not touch one row twice (PostgreSQL). */
function dedupe<R extends object>(rows: R[], keys: string[]): R[] {
  const seen = new Map<string, R>();
  for (const r of rows) {
    const rec = r as Record<string, unknown>;
    seen.set(JSON.stringify(keys.map((k) => rec[k] ?? null)), r);
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
  const columns = columnsOf(unique);
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
  const columns = columnsOf(rows as object[]);
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
