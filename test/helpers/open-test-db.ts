/** A fresh database of the dialect, migrated to latest, for store/collector/analytics tests. */
import { tmpdir } from 'node:os';
import { defaultConfig } from '../../src/config/schema.js';
import { openDatabase, type DatabaseHandle } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { silentLogger } from '../../src/util/logger.js';
import { freshDatabase, type Dialect } from './databases.js';

export interface TestDatabaseHandle {
  handle: DatabaseHandle;
  /** the database URL, for child processes */
  url: string;
  /** closes the handle and removes the database */
  drop(): Promise<void>;
}

/** Opens a fresh, migrated database; call drop() when done (e.g. in afterEach). onSql sees every statement. */
export async function openTestDatabase(
  dialect: Dialect,
  opts: { onSql?: (sql: string) => void } = {},
): Promise<TestDatabaseHandle> {
  const fresh = await freshDatabase(dialect);
  const handle = await openDatabase({
    url: fresh.url,
    config: defaultConfig(),
    logger: silentLogger(),
    home: tmpdir(),
    create: true,
    requireCurrentSchema: false,
    onSql: opts.onSql,
  });
  try {
    await migrateToLatest(handle.db);
  } catch (err) {
    await handle.close();
    await fresh.drop();
    throw err;
  }
  let dropped = false;
  return {
    handle,
    url: fresh.url,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await handle.close();
      await fresh.drop();
    },
  };
}

/** Creates a migrated SQLite database file at `path` and closes it (for tests of processes that open it). */
export async function createMigratedSqlite(path: string, home: string): Promise<void> {
  const h = await openDatabase({
    url: `sqlite:///${path}`,
    config: defaultConfig(),
    logger: silentLogger(),
    home,
    create: true,
    requireCurrentSchema: false,
  });
  try {
    await migrateToLatest(h.db);
  } finally {
    await h.close();
  }
}
