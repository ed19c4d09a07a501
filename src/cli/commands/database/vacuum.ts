/**
 * `database vacuum`: reclaims free space (SQLite VACUUM, PostgreSQL VACUUM ANALYZE) and moves an
 * older SQLite file to the page size new files get.
 */
import type { Deps } from '../../../deps.js';
import { databaseSize } from '../../../store/maintenance/stats.js';
import { vacuumDatabase, type VacuumOutcome } from '../../../store/maintenance/vacuum.js';
import { formatSize } from '../../output/format-values.js';
import { whereIs } from './where.js';

export type VacuumOptions = Record<string, never>;

/** Vacuums the database and prints its size before and after. */
export async function run(_opts: VacuumOptions, deps: Deps): Promise<void> {
  const h = await deps.dbHandle({ requireCurrentSchema: false });
  const before = await databaseSize(h.db, h.dialect, h.sqlitePath);
  const outcome = await vacuumDatabase(h);
  const after = await databaseSize(h.db, h.dialect, h.sqlitePath);
  const size = (n: number | null) => (n === null ? 'unknown' : formatSize(n));
  deps.io.write(`vacuumed ${whereIs(h)}: ${size(before)} → ${size(after)}${pagesNote(outcome)}\n`);
}

function pagesNote({ pageSize, keptPageSize }: VacuumOutcome): string {
  if (!pageSize) return '';
  const kb = (n: number) => `${n / 1024} KB`;
  if (pageSize.after !== pageSize.before)
    return `; pages ${kb(pageSize.before)} → ${kb(pageSize.after)}`;
  return keptPageSize ? `; pages stay ${kb(pageSize.before)}: ${keptPageSize}` : '';
}
