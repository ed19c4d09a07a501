import { afterEach, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { DIALECTS, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { openDatabase } from '../../src/store/db.js';
import { KNOWN_MIGRATIONS, migrateToLatest, schemaStatus } from '../../src/store/migrate.js';
import { defaultConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';
import { DatabaseUnavailableError } from '../../src/cli/errors.js';
import { jobRow } from '../helpers/job-rows.js';

const TABLES = [
  'collector_state',
  'data_collection_log',
  'job_daily_rollups',
  'job_history',
  'jobs',
  'node_events',
  'node_snapshots',
  'queue_snapshots',
  'reservation_history',
  'reservations',
  'servers',
  'system_snapshots',
];

const LAST = KNOWN_MIGRATIONS[KNOWN_MIGRATIONS.length - 1] as string;

for (const dialect of DIALECTS) {
  describe(`migrations [${dialect}]`, () => {
    let t: TestDatabaseHandle | undefined;
    let fresh: TestDatabase | undefined;
    afterEach(async () => {
      await t?.drop();
      await fresh?.drop();
      t = undefined;
      fresh = undefined;
    });

    const open = (url: string, requireCurrentSchema = true) =>
      openDatabase({
        url,
        config: defaultConfig(),
        logger: silentLogger(),
        home: tmpdir(),
        create: true,
        requireCurrentSchema,
      });

    it('creates every table of the schema and reports current', async () => {
      t = await openTestDatabase(dialect);
      const tables = (await t.handle.db.introspection.getTables()).map((x) => x.name).sort();
      expect(tables).toEqual(TABLES);
      const s = await schemaStatus(t.handle.db);
      expect(s).toEqual({
        version: KNOWN_MIGRATIONS[KNOWN_MIGRATIONS.length - 1],
        applied: [...KNOWN_MIGRATIONS],
        pending: [],
        unknown: [],
        state: 'current',
      });
      // migrating again is a no-op
      expect(await migrateToLatest(t.handle.db)).toEqual([]);
    });

    it('enforces the unique keys and cascades from jobs to job_history', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const s = await db
        .insertInto('servers')
        .values({ name: 'pbs1', first_seen: 1, last_seen: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(typeof s.id).toBe('number');
      const job = jobRow(s.id, 1);
      const j = await db.insertInto('jobs').values(job).returning('id').executeTakeFirstOrThrow();
      await expect(db.insertInto('jobs').values(job).execute()).rejects.toThrow();
      await db
        .insertInto('job_history')
        .values({
          server_id: s.id,
          job_row_id: j.id,
          to_state: 'Q',
          observed_at: 5,
          source: 'qstat',
        })
        .execute();
      await db.deleteFrom('jobs').where('id', '=', j.id).execute();
      const left = await db
        .selectFrom('job_history')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(left.n).toBe(0);
    });

    it('refuses an empty, an older and a newer schema with the command that fixes it', async () => {
      fresh = await freshDatabase(dialect);
      await expect(open(fresh.url)).rejects.toThrow(/database init/);
      const h = await open(fresh.url, false);
      try {
        await migrateToLatest(h.db);
        const any = h.db as unknown as Kysely<Record<string, { name: string; timestamp: string }>>;
        // older: forget the last migration
        await any.deleteFrom('kysely_migration').where('name', '=', LAST).execute();
        await expect(open(fresh.url)).rejects.toThrow(/pbs-monitor database migrate/);
        await any
          .insertInto('kysely_migration')
          .values({ name: LAST, timestamp: new Date().toISOString() })
          .execute();
        await any
          .insertInto('kysely_migration')
          .values({ name: '9999-future', timestamp: 'x' })
          .execute();
        const err = await open(fresh.url).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DatabaseUnavailableError);
        expect((err as DatabaseUnavailableError).exitCode).toBe(4);
        expect((err as Error).message).toMatch(/newer schema .*9999-future.*upgrade pbs-monitor/);
        await expect(migrateToLatest(h.db)).rejects.toThrow(/upgrade pbs-monitor/);
      } finally {
        await h.close();
      }
    });
  });
}
