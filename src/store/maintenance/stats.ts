/** Row counts per table, the size of the database on disk and its page size, for `database status`. */
import { statSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { DialectName } from '../db.js';
import { OWN_TABLES, type OwnTable } from '../tables.js';

/** Rows in each of our tables that exists (a missing table is left out). */
export async function tableCounts(
  db: Kysely<Database>,
): Promise<Partial<Record<OwnTable, number>>> {
  const present = new Set((await db.introspection.getTables()).map((t) => t.name));
  const out: Partial<Record<OwnTable, number>> = {};
  for (const t of OWN_TABLES) {
    if (!present.has(t)) continue;
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(
      db,
    );
    out[t] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Bytes on disk: the SQLite file plus its WAL, or PostgreSQL's database size; null when unknown. */
export async function databaseSize(
  db: Kysely<Database>,
  dialect: DialectName,
  sqlitePath: string | null,
): Promise<number | null> {
  if (dialect === 'sqlite') {
    if (!sqlitePath) return null;
    return fileSize(sqlitePath) + fileSize(`${sqlitePath}-wal`);
  }
  const r = await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** SQLite's page size in bytes (null on PostgreSQL, whose pages are fixed at build time). */
export async function sqlitePageSize(
  db: Kysely<Database>,
  dialect: DialectName,
): Promise<number | null> {
  if (dialect !== 'sqlite') return null;
  const r = await sql<{ page_size: number }>`pragma page_size`.execute(db);
  return Number(r.rows[0]?.page_size);
}
