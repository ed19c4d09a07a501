/** `database init [--force] [--yes]`: creates the database and its tables. */
import type { Deps } from '../../../deps.js';
import { DatabaseUnavailableError, UserError } from '../../errors.js';
import { migrateToLatest, schemaStatus } from '../../../store/migrate.js';
import { dropOwnTables } from '../../../store/maintenance/reset.js';
import { confirmOrRefuse } from './confirm.js';
import { collectorHolding } from './collector-lock-check.js';
import { whereIs } from './where.js';

export interface InitOptions {
  force?: boolean;
  yes?: boolean;
}

/** Creates (or with --force, recreates) the database at the configured URL. */
export async function run(opts: InitOptions, deps: Deps): Promise<void> {
  const h = await deps.dbHandle({ requireCurrentSchema: false, create: true });
  const where = whereIs(h);
  if (opts.force) {
    const holder = h.sqlitePath ? collectorHolding(h.sqlitePath) : null;
    if (holder) throw new UserError(`refusing to recreate ${where}: ${holder}`);
    await confirmOrRefuse(
      deps,
      `Drop every pbs-monitor table in ${where} and start empty?`,
      Boolean(opts.yes),
    );
    await dropOwnTables(h.db);
  }
  const before = await schemaStatus(h.db);
  if (before.state === 'newer') {
    throw new DatabaseUnavailableError(
      `${where} has a newer schema than this pbs-monitor (${before.unknown.join(', ')}): upgrade pbs-monitor`,
    );
  }
  if (before.state === 'current') {
    deps.io.write(`${where} is already initialised (schema ${before.version}); nothing to do\n`);
    return;
  }
  const results = await migrateToLatest(h.db);
  const after = await schemaStatus(h.db);
  deps.io.write(
    `initialised ${where}: schema ${after.version} (${results.length} migration(s) applied)\n`,
  );
}
