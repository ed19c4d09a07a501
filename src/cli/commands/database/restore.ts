/**
 * `database restore <path> [--yes]` (SQLite): checks that the file is a pbs-monitor database
 * with a schema this version can use, then swaps it in atomically (copy beside the target, then
 * rename). Refused while a collector holds the database.
 */
import { chmodSync, copyFileSync, constants, lstatSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import type { Deps } from '../../../deps.js';
import { UserError } from '../../errors.js';
import { openDatabase } from '../../../store/db.js';
import { parseDatabaseUrl } from '../../../store/url.js';
import { schemaStatus, type SchemaStatus } from '../../../store/migrate.js';
import { maskUrl } from '../../../config/mask-url.js';
import { confirmOrRefuse } from './confirm.js';
import { collectorHolding } from './collector-lock-check.js';

export interface RestoreOptions {
  path: string;
  yes?: boolean;
}

const removeWithSidecars = (p: string) => {
  for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`]) rmSync(f, { force: true });
};

/** Replaces the configured SQLite database with the backup at opts.path. */
export async function run(opts: RestoreOptions, deps: Deps): Promise<void> {
  const loaded = await deps.config();
  const cfgUrl = loaded.config.database.url;
  const target = parseDatabaseUrl(cfgUrl, deps.home, deps.cwd);
  if (target.dialect === 'postgres') {
    throw new UserError(
      `restore a PostgreSQL backup with pg_restore, e.g. \`pg_restore --clean --if-exists --dbname '${maskUrl(cfgUrl)}' ${opts.path}\` (stop the collector first)`,
    );
  }
  if (!target.path)
    throw new UserError('the configured database is in memory: nothing to restore into');
  const dbPath = target.path;
  const src = resolve(deps.cwd, opts.path);
  let st;
  try {
    st = lstatSync(src);
  } catch {
    throw new UserError(`no backup at ${src}`);
  }
  if (!st.isFile()) throw new UserError(`${src} is not a regular file`);
  const holder = collectorHolding(dbPath);
  if (holder)
    throw new UserError(`refusing to restore: ${holder}; stop it first (pbs-monitor daemon stop)`);

  // work on a private copy beside the target: the user's backup is never opened for writing
  const tmp = `${dbPath}.restore-${randomBytes(4).toString('hex')}`;
  let status: SchemaStatus;
  try {
    copyFileSync(src, tmp, constants.COPYFILE_EXCL);
    chmodSync(tmp, 0o600);
    status = await checkCandidate(tmp, src, deps);
  } catch (err) {
    removeWithSidecars(tmp);
    throw err;
  }
  try {
    await confirmOrRefuse(
      deps,
      `Replace ${dbPath} with ${src} (schema ${status.version})?`,
      Boolean(opts.yes),
    );
    // a stale WAL of the old database must never be replayed into the restored one
    for (const f of [`${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`])
      rmSync(f, { force: true });
    renameSync(tmp, dbPath);
  } finally {
    removeWithSidecars(tmp);
  }
  deps.io.write(`restored ${dbPath} from ${src} (schema ${status.version})\n`);
  if (status.state === 'older') {
    deps.io.writeErr('note: the backup has an older schema: run `pbs-monitor database migrate`\n');
  }
}

async function checkCandidate(tmp: string, src: string, deps: Deps): Promise<SchemaStatus> {
  const h = await openDatabase({
    url: `sqlite:///${tmp}`,
    config: (await deps.config()).config,
    logger: await deps.logger(),
    home: deps.home,
    requireCurrentSchema: false,
  }).catch((err: unknown) => {
    throw new UserError(`${src} is not a usable SQLite database: ${(err as Error).message}`);
  });
  try {
    const status = await schemaStatus(h.db);
    if (status.state === 'empty') throw new UserError(`${src} is not a pbs-monitor database`);
    if (status.state === 'newer') {
      throw new UserError(
        `${src} has a newer schema than this pbs-monitor (${status.unknown.join(', ')}): upgrade pbs-monitor to restore it`,
      );
    }
    const qc = await sql<{ quick_check: string }>`pragma quick_check`.execute(h.db);
    const bad = qc.rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (bad.length > 0) throw new UserError(`${src} is damaged: ${bad.slice(0, 3).join('; ')}`);
    return status;
  } finally {
    await h.close();
  }
}
