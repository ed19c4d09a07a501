/**
 * VACUUM for `database vacuum`. On an SQLite file made before new files got 16 KB pages it also
 * moves the file to them, which only a rebuild can do. A WAL file cannot change its page size, so
 * the rebuild leaves WAL for a rollback journal and comes back; leaving WAL needs the file to
 * itself, so with another process on it (the daemon, a view) the file keeps its pages and is
 * vacuumed in place.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { SQLITE_PAGE_SIZE, type DatabaseHandle } from '../db.js';
import { sqlitePageSize } from './stats.js';
import { isBusy } from '../transaction.js';

export interface VacuumOutcome {
  /** SQLite page size before and after (null on PostgreSQL) */
  pageSize: { before: number; after: number } | null;
  /** why an SQLite file kept pages smaller than SQLITE_PAGE_SIZE */
  keptPageSize: string | null;
}

async function pragmaValue(db: Kysely<Database>, text: string): Promise<unknown> {
  const r = await sql.raw<Record<string, unknown>>(`pragma ${text}`).execute(db);
  const row = r.rows[0];
  return row ? Object.values(row)[0] : undefined;
}

/** Leaves WAL for a rollback journal, at once or not at all: true when it did. */
async function leaveWal(db: Kysely<Database>): Promise<boolean> {
  const wait = Number(await pragmaValue(db, 'busy_timeout'));
  // another process holding the file will still hold it in a few seconds: do not wait for it
  await sql.raw('pragma busy_timeout = 0').execute(db);
  try {
    return (await pragmaValue(db, 'journal_mode = delete')) === 'delete';
  } catch (err) {
    if (isBusy(err)) return false;
    throw err;
  } finally {
    await sql.raw(`pragma busy_timeout = ${Math.trunc(wait)}`).execute(db);
  }
}

async function vacuumSqlite(db: Kysely<Database>, file: boolean): Promise<VacuumOutcome> {
  const before = (await sqlitePageSize(db, 'sqlite'))!;
  let keptPageSize: string | null = null;
  let rebuilt = false;
  if (file && before < SQLITE_PAGE_SIZE) {
    const wal = (await pragmaValue(db, 'journal_mode')) === 'wal';
    if (!wal || (await leaveWal(db))) {
      await sql.raw(`pragma page_size = ${SQLITE_PAGE_SIZE}`).execute(db);
      try {
        await sql`vacuum`.execute(db);
        rebuilt = true;
      } finally {
        if (wal) await sql.raw('pragma journal_mode = wal').execute(db);
      }
    } else {
      keptPageSize = 'another process has the database open (stop the daemon to move it)';
    }
  }
  if (!rebuilt) await sql`vacuum`.execute(db);
  // fold the WAL back into the file so the size on disk is the real one
  await sql`pragma wal_checkpoint(truncate)`.execute(db);
  const after = (await sqlitePageSize(db, 'sqlite'))!;
  return { pageSize: { before, after }, keptPageSize };
}

/** Vacuums the database (SQLite VACUUM, PostgreSQL VACUUM ANALYZE). */
export async function vacuumDatabase(h: DatabaseHandle): Promise<VacuumOutcome> {
  if (h.dialect === 'sqlite') return vacuumSqlite(h.db, h.sqlitePath !== null);
  await sql`vacuum analyze`.execute(h.db);
  return { pageSize: null, keptPageSize: null };
}
