/**
 * Dialect-neutral batch writes: one multi-row statement per chunk (never a round trip per row),
 * chunked so the bound parameters stay under SQLite's 32,766 and PostgreSQL's 65,535 limits.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- table and columns are chosen at run time */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { dialectOf } from './dialect.js';
import { writeTransaction } from './transaction.js';

const MAX_PARAMS = { sqlite: 32_766, postgres: 65_535 } as const;

export interface BatchOptions {
  /** rows per statement; lowered when it would exceed the parameter limit */
  chunkSize?: number;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
}

type TableName = keyof Database & string;
type AnyDb = Kysely<any>;

function chunkRows<R>(
  rows: R[],
  columns: number,
  dialect: 'sqlite' | 'postgres',
  wanted?: number,
): R[][] {
  const byParams = Math.max(1, Math.floor(MAX_PARAMS[dialect] / Math.max(1, columns)));
  const size = Math.max(1, Math.min(wanted ?? byParams, byParams));
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function columnCount(rows: readonly object[]): number {
  const cols = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) cols.add(k);
  return cols.size;
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
 * exist; with no update columns, existing rows are left as they are. Rows must share one shape.
 * Runs in a write transaction (or the caller's). Returns how many rows were inserted and updated.
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
  const chunks = chunkRows(unique, columnCount(unique), dialect, opts.chunkSize);
  return writeTransaction(db, async (trx) => {
    const t = trx as AnyDb;
    let inserted = 0;
    let touched = 0;
    // SQLite cannot say whether an upserted row was new; rowids only grow, so new rows are the ones
    // above the largest rowid before the write (the write lock is held, so nobody else adds rows)
    let maxBefore = 0;
    if (dialect === 'sqlite') {
      const r = await sql<{
        m: number | null;
      }>`select max(rowid) as m from ${sql.table(table)}`.execute(t);
      maxBefore = Number(r.rows[0]?.m ?? 0);
    }
    for (const chunk of chunks) {
      const q = t
        .insertInto(table)
        .values(chunk)
        .onConflict((oc: any) => {
          const c = oc.columns(conflictColumns);
          if (updateColumns.length === 0) return c.doNothing();
          return c.doUpdateSet(
            Object.fromEntries(
              updateColumns.map((col) => [col, (eb: any) => eb.ref(`excluded.${col}`)]),
            ),
          );
        });
      if (dialect === 'sqlite') {
        const res = await q.returning(sql<number>`rowid`.as('rid')).execute();
        touched += res.length;
        for (const r of res as Array<{ rid: number }>) if (Number(r.rid) > maxBefore) inserted += 1;
      } else {
        const res = (await q.returning(sql<boolean>`(xmax = 0)`.as('ins')).execute()) as Array<{
          ins: boolean;
        }>;
        touched += res.length;
        for (const r of res) if (r.ins) inserted += 1;
      }
    }
    return { inserted, updated: touched - inserted };
  });
}

/** Inserts rows in multi-row statements; returns how many were inserted. Rows must share one shape. */
export async function insertBatch<T extends TableName>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
  opts: BatchOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const chunks = chunkRows(
    rows as object[],
    columnCount(rows as object[]),
    dialectOf(db),
    opts.chunkSize,
  );
  return writeTransaction(db, async (trx) => {
    let n = 0;
    for (const chunk of chunks) {
      const r = await (trx as AnyDb).insertInto(table).values(chunk).executeTakeFirst();
      n += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return n;
  });
}
