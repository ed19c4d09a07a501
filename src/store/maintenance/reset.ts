/** Drops every table this program owns (and the migration bookkeeping), for `database init --force`. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { dialectOf } from '../dialect.js';
import { MIGRATION_TABLES, OWN_TABLES } from '../tables.js';

/** Drops our tables only: a shared PostgreSQL database may hold other applications' tables. */
export async function dropOwnTables(db: Kysely<Database>): Promise<void> {
  const sqlite = dialectOf(db) === 'sqlite';
  const tables: string[] = [...[...OWN_TABLES].reverse(), ...MIGRATION_TABLES];
  if (sqlite) await sql`pragma foreign_keys = off`.execute(db);
  try {
    for (const t of tables) {
      if (sqlite) await sql`drop table if exists ${sql.table(t)}`.execute(db);
      else await sql`drop table if exists ${sql.table(t)} cascade`.execute(db);
    }
  } finally {
    if (sqlite) await sql`pragma foreign_keys = on`.execute(db);
  }
}
