/**
 * Opens the history database: SQLite (better-sqlite3) or PostgreSQL (pg), both behind
 * `Kysely<Database>`. The only module that imports a database driver.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDb from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type LogEvent,
  type SqliteDialectConfig,
} from 'kysely';
import type { Config } from '../config/schema.js';
import type { Logger } from '../util/logger.js';
import { DatabaseUnavailableError } from '../cli/errors.js';
import type { Database } from './schema.js';
import { parseDatabaseUrl } from './url.js';
import { maskUrl } from '../config/mask-url.js';
import { detectFsType, isNetworkFs } from './fs-type.js';
import { schemaStatus } from './migrate.js';
import { describePgError } from './pg-errors.js';
import { cachingSqliteDatabase } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

/** The page size of a new SQLite file (`database vacuum` moves an older file to it). */
export const SQLITE_PAGE_SIZE = 16_384;

export interface OpenDatabaseOptions {
  url: string;
  config: Config;
  logger: Logger;
  home: string;
  /** refuse a schema older or newer than the code (default true) */
  requireCurrentSchema?: boolean;
  /** create the SQLite file if missing (database init) */
  create?: boolean;
  /** base of relative SQLite paths (default: the process's working directory) */
  cwd?: string;
  /** called with the SQL of every statement run (tests count statements with it) */
  onSql?: (sql: string) => void;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** the URL with its password masked */
  maskedUrl: string;
  /** SQLite file path (null for :memory: and PostgreSQL) */
  sqlitePath: string | null;
  close(): Promise<void>;
}

/** SQLite transactions take the write lock up front (BEGIN IMMEDIATE): see transaction.ts. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: SqliteDialectConfig) {
    super(cfg);
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

/** Kysely log hook: statements at debug, never their parameters (they can hold secrets). */
function sqlLog(logger: Logger, echo: boolean, onSql?: (sql: string) => void) {
  return (event: LogEvent) => {
    onSql?.(event.query.sql);
    if (event.level === 'error') {
      logger.debug({ sql: event.query.sql, err: String(event.error) }, 'sql failed');
    } else if (echo) {
      logger.debug({ sql: event.query.sql, ms: Math.round(event.queryDurationMillis) }, 'sql');
    }
  };
}

/** Opens the database named by `opts.url`, checking its schema unless told not to. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const parsed = parseDatabaseUrl(opts.url, opts.home, opts.cwd);
  const maskedUrl = maskUrl(opts.url);
  const handle =
    parsed.dialect === 'sqlite'
      ? openSqlite(parsed.path, maskedUrl, opts)
      : await openPostgres(parsed.connectionString, maskedUrl, opts);
  if (opts.requireCurrentSchema ?? true) {
    try {
      await requireCurrent(handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
  return handle;
}

async function requireCurrent(h: DatabaseHandle): Promise<void> {
  const s = await schemaStatus(h.db);
  const where = h.sqlitePath ?? h.maskedUrl;
  if (s.state === 'empty') {
    throw new DatabaseUnavailableError(
      `the database at ${where} has no pbs-monitor schema: create it with \`pbs-monitor database init\``,
    );
  }
  if (s.state === 'newer') {
    throw new DatabaseUnavailableError(
      `the database at ${where} has a newer schema than this pbs-monitor (${s.unknown.join(', ')}): upgrade pbs-monitor`,
    );
  }
  if (s.state === 'older') {
    throw new DatabaseUnavailableError(
      `the database at ${where} has an older schema (${s.pending.length} pending migration(s)): run \`pbs-monitor database migrate\``,
    );
  }
}

/** Creates the file without following a symlink, readable by its owner only. */
function prepareSqliteFile(path: string, create: boolean): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DatabaseUnavailableError(`cannot read ${path}: ${(err as Error).message}`);
    }
  }
  if (st?.isSymbolicLink()) {
    throw new DatabaseUnavailableError(
      `refusing to open the database ${path}: it is a symbolic link (name the real file in database.url)`,
    );
  }
  if (st && !st.isFile()) throw new DatabaseUnavailableError(`${path} is not a regular file`);
  if (st) return;
  if (!create) {
    throw new DatabaseUnavailableError(
      `no database at ${path}: create it with \`pbs-monitor database init\``,
    );
  }
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(
      path,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW,
      0o600,
    );
    closeSync(fd);
  } catch (err) {
    throw new DatabaseUnavailableError(
      `cannot create the database ${path}: ${(err as Error).message}`,
    );
  }
}

function openSqlite(
  path: string | null,
  maskedUrl: string,
  opts: OpenDatabaseOptions,
): DatabaseHandle {
  const cfg = opts.config.database;
  if (path) prepareSqliteFile(path, opts.create ?? false);
  let raw: SqliteDb.Database;
  try {
    raw = new SqliteDb(path ?? ':memory:', { fileMustExist: path !== null });
    raw.pragma(`busy_timeout = ${Math.trunc(cfg.busy_timeout_ms)}`);
    let journal = 'wal';
    if (path) {
      const fsType = detectFsType(dirname(path));
      if (fsType && isNetworkFs(fsType)) {
        journal = 'delete';
        opts.logger.warn(
          `${path} is on a ${fsType} filesystem, which lacks the shared memory SQLite's WAL needs: using a rollback journal (slower with concurrent readers)`,
        );
      }
    }
    // a new file only (SQLite ignores it once the file has pages): job rows carry ~2 KB of raw
    // attributes, so 4 KB pages hold one or two of them and a write moves a WAL frame per row;
    // side by side, 16 KB pages updated 10,000 jobs 22–39 % faster and inserted them 0–27 %
    // faster (docs/queries.md)
    raw.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
    if (path) raw.pragma(`journal_mode = ${journal}`);
    // a rollback journal needs FULL to stay durable; WAL is safe with NORMAL
    raw.pragma(`synchronous = ${journal === 'wal' ? 'NORMAL' : 'FULL'}`);
    raw.pragma('foreign_keys = ON');
    // a first collection at Aurora scale writes ~30 MB in one transaction (11,000 jobs with their
    // raw attributes, their transitions, 10,624 node rows): with the default 2 MB page cache the
    // indexes' pages are evicted and re-read mid-transaction; 32 MB is allocated only as used
    raw.pragma('cache_size = -32768');
  } catch (err) {
    throw new DatabaseUnavailableError(
      `cannot open the SQLite database ${path ?? ':memory:'}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: cachingSqliteDatabase(raw) }),
    log: sqlLog(opts.logger, cfg.echo_sql, opts.onSql),
  });
  return {
    db,
    dialect: 'sqlite',
    maskedUrl,
    sqlitePath: path,
    close: () => db.destroy(),
  };
}

/** int8 (count(*), bigserial, bigint epochs) and numeric become JS numbers, not strings. */
const numericTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

async function openPostgres(
  connectionString: string,
  maskedUrl: string,
  opts: OpenDatabaseOptions,
): Promise<DatabaseHandle> {
  const cfg = opts.config.database;
  const pool = new pg.Pool({
    connectionString,
    max: cfg.pool_size + cfg.max_overflow,
    application_name: 'pbs-monitor',
    statement_timeout: Math.round(cfg.statement_timeout * 1000),
    connectionTimeoutMillis: 10_000,
    types: numericTypes,
  });
  // an idle client losing its server must not crash the process; the next query reports it
  pool.on('error', (err) => opts.logger.warn({ err: err.message }, 'PostgreSQL connection lost'));
  // pg-pool drops its idle-client listener while a client is checked out: without our own, a
  // connection cut mid-transaction (server restart) is an uncaught 'error' that ends the process
  pool.on('connect', (client) =>
    client.on('error', (err) =>
      opts.logger.warn({ err: err.message }, 'PostgreSQL connection lost'),
    ),
  );
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(describePgError(err, maskedUrl), { cause: err });
  }
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: sqlLog(opts.logger, cfg.echo_sql, opts.onSql),
  });
  return { db, dialect: 'postgres', maskedUrl, sqlitePath: null, close: () => db.destroy() };
}

/**
 * Copies a live SQLite database with SQLite's online backup API: consistent even while another
 * process writes. The copy is created with mode 0600.
 */
export async function backupSqliteFile(srcPath: string, destPath: string): Promise<void> {
  const fd = openSync(
    destPath,
    constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW,
    0o600,
  );
  closeSync(fd);
  const src = new SqliteDb(srcPath, { fileMustExist: true, readonly: true });
  try {
    await src.backup(destPath);
  } finally {
    src.close();
  }
}

/** A SELECT and its parameters (a Kysely CompiledQuery is one). */
export interface RowQuery {
  sql: string;
  parameters: readonly unknown[];
}

/** Runs SELECTs and streams their rows as arrays in select-list order. */
export interface RowReader {
  rows(q: RowQuery): IterableIterator<unknown[]>;
  close(): void;
}

/**
 * A second, read-only connection on the SQLite file at `path` whose rows come back as arrays
 * (`.raw(true)`) and stream (`.iterate()`), for bulk readers such as `export` (its reader thread
 * cannot share the Kysely handle); null when it cannot be opened (the caller reads through Kysely).
 */
export function openSqliteRowReader(path: string): RowReader | null {
  let conn: SqliteDb.Database;
  try {
    conn = new SqliteDb(path, { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  const cache = new Map<string, SqliteDb.Statement<unknown[], unknown[]>>();
  return {
    rows(q) {
      let st = cache.get(q.sql);
      if (!st) {
        st = conn.prepare<unknown[], unknown[]>(q.sql).raw(true);
        cache.set(q.sql, st);
      }
      return st.iterate(...q.parameters);
    },
    close: () => conn.close(),
  };
}
