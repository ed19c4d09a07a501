import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabaseOptions } from '../../src/store/db.js';
import { defaultConfig } from '../../src/config/schema.js';
import { createLogger, silentLogger } from '../../src/util/logger.js';
import { Writable } from 'node:stream';
import { DatabaseUnavailableError } from '../../src/cli/errors.js';
import { PG_URL } from '../helpers/databases.js';

const opts = (url: string, more: Partial<OpenDatabaseOptions> = {}): OpenDatabaseOptions => ({
  url,
  config: defaultConfig(),
  logger: silentLogger(),
  home: '/nonexistent-home',
  requireCurrentSchema: false,
  ...more,
});

async function failure(p: Promise<unknown>): Promise<DatabaseUnavailableError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseUnavailableError);
  expect((err as DatabaseUnavailableError).exitCode).toBe(4);
  return err as DatabaseUnavailableError;
}

describe('openDatabase (SQLite)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file with mode 0600 in WAL mode, ~ expanded from home', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pbsmon-open-'));
    const h = await openDatabase(opts('sqlite:///~/sub/h.db', { home: dir, create: true }));
    try {
      expect(h.dialect).toBe('sqlite');
      expect(h.sqlitePath).toBe(join(dir, 'sub/h.db'));
      expect(statSync(join(dir, 'sub/h.db')).mode & 0o777).toBe(0o600);
      const j = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(h.db);
      expect(j.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(h.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      const bt = await sql<{ timeout: number }>`pragma busy_timeout`.execute(h.db);
      expect(bt.rows[0]?.timeout).toBe(10_000);
    } finally {
      await h.close();
    }
  });

  it('says how to create a missing database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pbsmon-open-'));
    const err = await failure(openDatabase(opts(`sqlite:///${dir}/none.db`)));
    expect(err.message).toBe(
      `no database at ${dir}/none.db: create it with \`pbs-monitor database init\``,
    );
  });

  it('refuses a symlinked database path', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pbsmon-open-'));
    writeFileSync(join(dir, 'real.db'), '');
    symlinkSync(join(dir, 'real.db'), join(dir, 'link.db'));
    const err = await failure(openDatabase(opts(`sqlite:///${dir}/link.db`, { create: true })));
    expect(err.message).toMatch(/link\.db: it is a symbolic link/);
    // a dangling link is refused too, never followed to create its target
    symlinkSync(join(dir, 'target.db'), join(dir, 'dangling.db'));
    await failure(openDatabase(opts(`sqlite:///${dir}/dangling.db`, { create: true })));
    expect(() => statSync(join(dir, 'target.db'))).toThrow();
  });

  it('reports a file that is not a database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pbsmon-open-'));
    writeFileSync(join(dir, 'junk.db'), 'this is not sqlite'.repeat(100));
    const err = await failure(openDatabase(opts(`sqlite:///${dir}/junk.db`)));
    expect(err.message).toMatch(
      /cannot open the SQLite database .*junk\.db: file is not a database/,
    );
  });

  it('echo_sql logs each statement at debug, never its parameter values', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _e, cb) {
        out += String(chunk);
        cb();
      },
    });
    const config = defaultConfig();
    config.database.echo_sql = true;
    const logger = createLogger({ level: 'debug', file: null, stderr: sink });
    const h = await openDatabase(opts('sqlite://:memory:', { config, logger }));
    try {
      await sql`select ${'hunter2'} as secret`.execute(h.db);
    } finally {
      await h.close();
    }
    expect(out).toMatch(/debug sql sql=select \? as secret ms=\d+/);
    expect(out).not.toContain('hunter2');
  });

  it('opens :memory:', async () => {
    const h = await openDatabase(opts('sqlite://:memory:'));
    expect(h.sqlitePath).toBeNull();
    await h.close();
  });
});

describe.runIf(PG_URL)('openDatabase (PostgreSQL)', () => {
  it('returns a pool handle with the password masked', async () => {
    const u = new URL(PG_URL as string);
    u.password = 'notused';
    const h = await openDatabase(opts(u.toString()));
    try {
      expect(h.dialect).toBe('postgres');
      expect(h.maskedUrl).toContain(':***@');
      const r = await sql<{
        n: number;
        app: string;
      }>`select 1::int8 as n, current_setting('application_name') as app`.execute(h.db);
      expect(r.rows[0]).toEqual({ n: 1, app: 'pbs-monitor' });
      const st = await sql<{ s: string }>`select current_setting('statement_timeout') as s`.execute(
        h.db,
      );
      expect(st.rows[0]?.s).toBe('2min');
    } finally {
      await h.close();
    }
  });

  it('names a missing database (exit 4, password masked)', async () => {
    const u = new URL(PG_URL as string);
    u.pathname = '/pbsmon_no_such_db';
    u.password = 'hunter2';
    const err = await failure(openDatabase(opts(u.toString())));
    expect(err.message).toMatch(/does not exist/);
    expect(err.message).toContain(':***@');
    expect(err.message).not.toContain('hunter2');
  });
});

describe('openDatabase (PostgreSQL unreachable)', () => {
  it('fails with exit 4 and a masked URL when nothing listens', async () => {
    const err = await failure(openDatabase(opts('postgresql://bob:hunter2@127.0.0.1:1/pbs')));
    expect(err.message).toBe(
      'cannot reach the PostgreSQL server at postgresql://bob:***@127.0.0.1:1/pbs: connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
