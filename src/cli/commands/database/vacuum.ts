/** `database vacuum`: reclaims free space (SQLite VACUUM, PostgreSQL VACUUM ANALYZE). */
import { sql } from 'kysely';
import type { Deps } from '../../../deps.js';
import { databaseSize } from '../../../store/maintenance/stats.js';
import { formatSize } from '../../output/format-values.js';
import { whereIs } from './where.js';

export type VacuumOptions = Record<string, never>;

/** Vacuums the database and prints its size before and after. */
export async function run(_opts: VacuumOptions, deps: Deps): Promise<void> {
  const h = await deps.dbHandle({ requireCurrentSchema: false });
  const before = await databaseSize(h.db, h.dialect, h.sqlitePath);
  if (h.dialect === 'sqlite') {
    await sql`vacuum`.execute(h.db);
    // fold the WAL back into the file so the size on disk is the real one
    await sql`pragma wal_checkpoint(truncate)`.execute(h.db);
  } else {
    await sql`vacuum analyze`.execute(h.db);
  }
  const after = await databaseSize(h.db, h.dialect, h.sqlitePath);
  const size = (n: number | null) => (n === null ? 'unknown' : formatSize(n));
  deps.io.write(`vacuumed ${whereIs(h)}: ${size(before)} → ${size(after)}\n`);
}
