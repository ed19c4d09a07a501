import { afterEach, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import SqliteDb from 'better-sqlite3';
import { sql } from 'kysely';
import { DIALECTS, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { openDatabase, SQLITE_PAGE_SIZE, type DatabaseHandle } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { defaultConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';
import { insertBatch } from '../../src/store/batch.js';
import { vacuumDatabase } from '../../src/store/maintenance/vacuum.js';
import { validateDatabase } from '../../src/store/maintenance/validate.js';
import { jobRow } from '../helpers/job-rows.js';

const jobs = (sid: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    jobRow(sid, i, { state: 'R', raw_attrs: new Uint8Array(1500).fill(i % 251) }),
  );

// New SQLite files get 16 KB pages; `database vacuum` moves a file made before that to them.
for (const dialect of DIALECTS) {
  describe(`page size and vacuum [${dialect}]`, () => {
    let fresh: TestDatabase | undefined;
    const handles: DatabaseHandle[] = [];
    afterEach(async () => {
      for (const h of handles.splice(0)) await h.close();
      await fresh?.drop();
      fresh = undefined;
    });

    /** Opens the fresh database; `busyMs` is the configured busy timeout. */
    const open = async (busyMs?: number) => {
      const config = defaultConfig();
      if (busyMs) config.database.busy_timeout_ms = busyMs;
      const h = await openDatabase({
        url: fresh!.url,
        config,
        logger: silentLogger(),
        home: tmpdir(),
        create: true,
        requireCurrentSchema: false,
      });
      handles.push(h);
      return h;
    };
    const path = () => fresh!.url.slice('sqlite:///'.length);
    /** What a release before 16 KB pages made: a WAL file of 4 KB pages, with 300 jobs. */
    const olderFile = async (busyMs?: number) => {
      fresh = await freshDatabase(dialect);
      if (dialect === 'sqlite') {
        const raw = new SqliteDb(path());
        raw.pragma('page_size = 4096');
        raw.pragma('journal_mode = wal');
        raw.close();
      }
      const h = await open(busyMs);
      await migrateToLatest(h.db);
      const { id } = await h.db
        .insertInto('servers')
        .values({ name: 'pbs1', first_seen: 1, last_seen: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertBatch(h.db, 'jobs', jobs(id, 300));
      await h.db.deleteFrom('jobs').where('seq', '>=', 200).execute();
      return h;
    };
    // page size and journal mode are SQLite's; PostgreSQL runs only the vacuum test
    const sqliteOnly = dialect === 'sqlite' ? it : () => undefined;
    const pragma = async (h: DatabaseHandle, p: string) =>
      Object.values(
        (await sql.raw<Record<string, unknown>>(`pragma ${p}`).execute(h.db)).rows[0]!,
      )[0];
    const rawSum = async (h: DatabaseHandle) =>
      (await h.db.selectFrom('jobs').select(['seq', 'raw_attrs']).orderBy('seq').execute()).map(
        (r) => `${r.seq}:${(r.raw_attrs as Uint8Array).reduce((a, b) => a + b, 0)}`,
      );

    sqliteOnly('a new file has 16 KB pages, in WAL', async () => {
      fresh = await freshDatabase(dialect);
      const h = await open();
      await migrateToLatest(h.db);
      expect(await pragma(h, 'page_size')).toBe(SQLITE_PAGE_SIZE);
      expect(await pragma(h, 'journal_mode')).toBe('wal');
    });

    it('vacuum keeps every row; an older SQLite file moves to 16 KB pages, back in WAL', async () => {
      const h = await olderFile();
      const before = await rawSum(h);
      expect(before).toHaveLength(200);
      const out = await vacuumDatabase(h);
      expect(await rawSum(h)).toEqual(before);
      expect((await validateDatabase(h.db, defaultConfig())).problems).toEqual([]);
      if (dialect === 'postgres') {
        expect(out).toEqual({ pageSize: null, keptPageSize: null });
        return;
      }
      expect(out).toEqual({
        pageSize: { before: 4096, after: SQLITE_PAGE_SIZE },
        keptPageSize: null,
      });
      expect(await pragma(h, 'page_size')).toBe(SQLITE_PAGE_SIZE);
      expect(await pragma(h, 'journal_mode')).toBe('wal');
      // a second vacuum has nothing to move
      expect(await vacuumDatabase(h)).toEqual({
        pageSize: { before: SQLITE_PAGE_SIZE, after: SQLITE_PAGE_SIZE },
        keptPageSize: null,
      });
    });

    sqliteOnly(
      'with another process on the file: vacuumed in place, pages kept, no wait for the busy timeout',
      async () => {
        // a 10-minute busy timeout: waiting on it would fail the test by its own time limit
        const h = await olderFile(600_000);
        const other = await open();
        expect(await other.db.selectFrom('jobs').select('id').limit(1).execute()).toHaveLength(1);
        const before = await rawSum(h);
        const out = await vacuumDatabase(h);
        expect(out.pageSize).toEqual({ before: 4096, after: 4096 });
        expect(out.keptPageSize).toMatch(/another process has the database open/);
        expect(await pragma(h, 'journal_mode')).toBe('wal');
        expect(await pragma(h, 'busy_timeout')).toBe(600_000);
        expect(await rawSum(other)).toEqual(before);
      },
    );
  });
}
