/**
 * Write transactions that never surface "database is locked". On SQLite the store's driver opens
 * every transaction with BEGIN IMMEDIATE (see db.ts), so the write lock is taken up front and
 * waits on busy_timeout instead of failing on a read→write upgrade; SQLITE_BUSY that still escapes
 * (timeout under heavy contention) is retried a few times. On PostgreSQL it is a plain transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

export interface WriteTransactionOptions {
  /** attempts in all (default 5) */
  attempts?: number;
  /** wait between attempts, ms (default 50, doubled each time) */
  backoffMs?: number;
}

/** An SQLite error that says another connection holds the lock (busy, or locked). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && BUSY.has(code);
}

/** Runs fn in a write transaction; if `db` already is a transaction, runs fn in it directly. */
export async function writeTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
  opts: WriteTransactionOptions = {},
): Promise<T> {
  if (db.isTransaction) return fn(db);
  const attempts = opts.attempts ?? 5;
  let delay = opts.backoffMs ?? 50;
  for (let i = 1; ; i++) {
    try {
      return await db.transaction().execute((trx: Transaction<Database>) => fn(trx));
    } catch (err) {
      if (!isBusy(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}
