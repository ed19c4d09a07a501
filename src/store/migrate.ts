/** Runs the migrations and reports how a database's schema compares with this code's. */
import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';

const MIGRATION_TABLE = 'kysely_migration';

/** The names of the migrations this code knows, in order. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(MIGRATIONS).sort();

export interface SchemaStatus {
  /** the last applied migration this code knows, or null for an empty database */
  version: string | null;
  applied: string[];
  /** known but not applied: the database is older than the code */
  pending: string[];
  /** applied but unknown here: the database is newer than the code */
  unknown: string[];
  state: 'empty' | 'current' | 'older' | 'newer';
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
  });
}

/** Applies every pending migration; throws the migrator's error (with the failing step) if any. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const status = await schemaStatus(db);
  if (status.state === 'newer') {
    throw new Error(
      `the database schema is newer than this pbs-monitor (unknown migrations: ${status.unknown.join(', ')}): upgrade pbs-monitor`,
    );
  }
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const msg = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${msg}`, {
      cause: error,
    });
  }
  return results ?? [];
}

/** Compares the applied migrations with the ones this code knows. */
export async function schemaStatus(db: Kysely<Database>): Promise<SchemaStatus> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const applied: string[] = [];
  if (tables.some((t) => t.name === MIGRATION_TABLE)) {
    const anyDb = db as unknown as Kysely<Record<string, { name: string; timestamp: string }>>;
    const rows = await anyDb.selectFrom(MIGRATION_TABLE).select('name').orderBy('name').execute();
    for (const r of rows) applied.push(r.name);
  }
  const known = new Set(KNOWN_MIGRATIONS);
  const done = new Set(applied);
  const pending = KNOWN_MIGRATIONS.filter((m) => !done.has(m));
  const unknown = applied.filter((m) => !known.has(m));
  const version = [...applied].reverse().find((m) => known.has(m)) ?? null;
  // no migration recorded and no table of ours: a new (or foreign) database, not an old one
  const ours = applied.length > 0 || tables.some((t) => t.name === 'servers');
  const state = !ours
    ? 'empty'
    : unknown.length > 0
      ? 'newer'
      : pending.length > 0
        ? 'older'
        : 'current';
  return { version, applied, pending, unknown, state };
}
