/** `database migrate`: applies pending migrations. */
import type { Deps } from '../../../deps.js';
import { DatabaseUnavailableError } from '../../errors.js';
import { migrateToLatest, schemaStatus } from '../../../store/migrate.js';
import { whereIs } from './where.js';

export type MigrateOptions = Record<string, never>;

/** Brings the schema of the configured database up to this version of pbs-monitor. */
export async function run(_opts: MigrateOptions, deps: Deps): Promise<void> {
  const h = await deps.dbHandle({ requireCurrentSchema: false });
  const where = whereIs(h);
  const before = await schemaStatus(h.db);
  if (before.state === 'newer') {
    throw new DatabaseUnavailableError(
      `${where} has a newer schema than this pbs-monitor (${before.unknown.join(', ')}): upgrade pbs-monitor`,
    );
  }
  if (before.state === 'current') {
    deps.io.write(`${where} is up to date (schema ${before.version})\n`);
    return;
  }
  const results = await migrateToLatest(h.db);
  for (const r of results) deps.io.write(`applied ${r.migrationName}\n`);
  deps.io.write(`${where} is now at schema ${(await schemaStatus(h.db)).version}\n`);
}
