/**
 * `database backup [path]`: SQLite through the online backup API (consistent while a collector
 * writes); PostgreSQL through pg_dump when it is on PATH.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Deps } from '../../../deps.js';
import { UserError } from '../../errors.js';
import { backupSqliteFile } from '../../../store/db.js';
import { maskUrl } from '../../../config/mask-url.js';

export interface BackupOptions {
  path?: string;
}

/** `20261128T004512Z`: sorts by time and is safe in file names. */
export function backupStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The first executable `name` on the PATH of `env`, or null. */
export function findOnPath(name: string, env: Record<string, string | undefined>): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Writes a backup and prints its path. */
export async function run(opts: BackupOptions, deps: Deps): Promise<void> {
  const h = await deps.dbHandle({ requireCurrentSchema: false });
  const stamp = backupStamp(deps.clock.nowMs());
  if (h.dialect === 'sqlite') {
    if (!h.sqlitePath) throw new UserError('an in-memory database cannot be backed up');
    const dest = resolve(deps.cwd, opts.path ?? `${h.sqlitePath}.backup-${stamp}`);
    if (existsSync(dest)) throw new UserError(`${dest} already exists: name another backup file`);
    try {
      await backupSqliteFile(h.sqlitePath, dest);
    } catch (err) {
      throw new UserError(`backup to ${dest} failed: ${(err as Error).message}`, 1, { cause: err });
    }
    deps.io.write(`${dest}\n`);
    return;
  }
  const pgDump = findOnPath('pg_dump', deps.env);
  if (!pgDump) {
    throw new UserError(
      'pg_dump is not on PATH: install the PostgreSQL client tools (e.g. postgresql-client) or back up with your site’s PostgreSQL tooling',
    );
  }
  const { config } = await deps.config();
  const url = new URL(config.database.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const dest = resolve(deps.cwd, opts.path ?? `pbs-monitor-${dbName}.backup-${stamp}.dump`);
  if (existsSync(dest)) throw new UserError(`${dest} already exists: name another backup file`);
  try {
    // the password goes through the environment: a command line is visible to every user (ps)
    await promisify(execFile)(
      pgDump,
      ['--format=custom', '--file', dest, '--dbname', url.toString()],
      {
        env: { ...deps.env, ...(password ? { PGPASSWORD: password } : {}) },
        signal: deps.signal,
      },
    );
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new UserError(
      `pg_dump of ${maskUrl(config.database.url)} failed: ${(e.stderr ?? e.message).trim()}`,
      1,
      { cause: err },
    );
  }
  deps.io.write(`${dest}\n`);
}
