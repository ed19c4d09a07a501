/**
 * One collector per database and PBS server. SQLite: a lock file beside the database
 * (`<db>.lock`: pid, host, start time), stale when its pid is dead on this host. PostgreSQL: a
 * session advisory lock on a key derived from the server name, held on a dedicated connection for
 * the daemon's life (so it also excludes daemons on other login nodes); the holder is named from
 * pg_locks + pg_stat_activity.application_name.
 */
import { createHash } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { UserError } from '../cli/errors.js';
import type { Database } from '../store/schema.js';
import type { DaemonHost } from './host.js';
import { createExclusive, readExisting, removeIfOwned } from './exclusive-file.js';
import { isDaemonCommandLine } from './pid-file.js';

export interface LockOwner {
  pid: number;
  host: string;
  /** epoch seconds */
  startedAt: number;
}

export interface CollectorLock {
  /** where the lock is: a file path or `advisory lock <key>` */
  where: string;
  release(): Promise<void>;
  /**
   * Makes sure the lock is still held, re-taking it when it was lost (a PostgreSQL restart ends
   * the session that held the advisory lock). Throws LockHeldError when another collector took
   * it meanwhile; a database still unreachable is not an error here (the next call tries again).
   */
  check(): Promise<void>;
}

export interface LockTarget {
  dialect: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  sqlitePath: string | null;
}

/** Thrown when another daemon holds the lock; the message names it. */
export class LockHeldError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'LockHeldError';
  }
}

const describe = (o: Partial<LockOwner>) =>
  `PID ${o.pid ?? '?'} on ${o.host ?? '?'}` +
  (o.startedAt ? `, started ${new Date(o.startedAt * 1000).toISOString()}` : '');

function parseOwner(text: string): Partial<LockOwner> {
  try {
    return JSON.parse(text) as Partial<LockOwner>;
  } catch {
    return {};
  }
}

/** Takes the SQLite lock file `<dbPath>.lock`, clearing a stale one left by a dead process here. */
export function acquireLockFile(dbPath: string, owner: LockOwner, host: DaemonHost): CollectorLock {
  const path = `${dbPath}.lock`;
  const text = JSON.stringify(owner) + '\n';
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, text, 0o600)) {
      return {
        where: path,
        release: async () => void removeIfOwned(path, (t) => parseOwner(t).pid === owner.pid),
        check: async () => undefined,
      };
    }
    const cur = readExisting(path);
    if (cur.kind === 'absent') continue;
    if (cur.kind !== 'file')
      throw new LockHeldError(
        `the lock ${path} is not a regular file: refusing to use it (remove it)`,
      );
    const held = parseOwner(cur.text);
    const sameHost = held.host === owner.host;
    const alive =
      typeof held.pid === 'number' &&
      host.isAlive(held.pid) &&
      isDaemonCommandLine(host.processCommandLine(held.pid) ?? ['pbs-monitor', 'daemon']);
    if (sameHost && held.pid === owner.pid)
      return { where: path, release: async () => undefined, check: async () => undefined };
    if (sameHost && !alive) {
      // the holder died without cleaning up (SIGKILL, crash): its lock is stale
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      continue;
    }
    throw new LockHeldError(
      `another collector already uses this database: ${describe(held)} (lock ${path})` +
        (sameHost ? '' : '; if that host is gone, remove the lock file by hand'),
    );
  }
  throw new LockHeldError(`could not take the lock ${path}`);
}

/** The advisory lock key for a PBS server name: 64 bits of SHA-256, signed as PostgreSQL wants. */
export function advisoryKey(serverName: string): bigint {
  const h = createHash('sha256').update(`pbs-monitor collector:${serverName}`).digest();
  return BigInt.asIntN(64, h.readBigUInt64BE(0));
}

/** Takes the PostgreSQL advisory lock; check() re-takes it after its session was lost. */
export async function acquireAdvisoryLock(
  db: Kysely<Database>,
  serverName: string,
  owner: LockOwner,
  opts: AdvisoryLockOptions = {},
): Promise<CollectorLock> {
  let session = await holdAdvisoryLock(db, serverName, owner, opts);
  return {
    where: session.where,
    release: () => session.release(),
    check: async () => {
      if (!session.lost()) return;
      try {
        session = await holdAdvisoryLock(db, serverName, owner, opts);
      } catch (err) {
        if (err instanceof LockHeldError) throw err;
        // the database is still away: keep trying on the next check
      }
    },
  };
}

export interface AdvisoryLockOptions {
  /** told when the connection holding the lock failed */
  onLost?: (err: Error) => void;
  /** how often the holding session checks its connection (default 30 s) */
  pingMs?: number;
}

interface AdvisorySession {
  where: string;
  release(): Promise<void>;
  /** true once the connection holding the lock failed (the server released the lock) */
  lost(): boolean;
}

/** Takes the advisory lock on a dedicated connection held until release() or its loss. */
async function holdAdvisoryLock(
  db: Kysely<Database>,
  serverName: string,
  owner: LockOwner,
  opts: AdvisoryLockOptions,
): Promise<AdvisorySession> {
  const pingMs = opts.pingMs ?? LOCK_PING_MS;
  const key = advisoryKey(serverName);
  const appName = `pbs-monitor daemon pid=${owner.pid} host=${owner.host}`.slice(0, 63);
  let releaseConn!: () => void;
  const held = new Promise<void>((r) => (releaseConn = r));
  let outcome!: (v: boolean | Error) => void;
  const taken = new Promise<boolean | Error>((r) => (outcome = r));
  let granted = false;
  let lost = false;
  const session = db
    .connection()
    .execute(async (conn) => {
      await sql`select set_config('application_name', ${appName}, false)`.execute(conn);
      const r = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_lock(${key.toString()}::bigint) as ok`.execute(conn);
      const ok = Boolean(r.rows[0]?.ok);
      granted = ok;
      outcome(ok);
      if (!ok) return;
      // a lost connection shows up when its next query fails: ask the server now and then
      while (!(await Promise.race([held.then(() => true), sleep(pingMs).then(() => false)])))
        await sql`select 1`.execute(conn);
      await held;
      await sql`select pg_advisory_unlock(${key.toString()}::bigint)`.execute(conn);
      await sql`select set_config('application_name', '', false)`.execute(conn);
    })
    .catch((err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      if (granted) {
        lost = true;
        opts.onLost?.(e);
      }
      outcome(e);
    });
  const ok = await taken;
  if (ok instanceof Error) throw ok;
  if (!ok) {
    const holder = await advisoryHolder(db, key);
    throw new LockHeldError(
      `another collector already uses this database for PBS server ${serverName}: ${holder ?? 'holder unknown'}`,
    );
  }
  return {
    where: `advisory lock ${key}`,
    release: async () => {
      releaseConn();
      await session;
    },
    lost: () => lost,
  };
}

/** How often the session holding the advisory lock checks that its connection is alive. */
const LOCK_PING_MS = 30_000;
const sleep = (ms: number) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    t.unref?.();
  });

/** Names the session holding the advisory lock `key`, from pg_locks and pg_stat_activity. */
export async function advisoryHolder(db: Kysely<Database>, key: bigint): Promise<string | null> {
  const u = BigInt.asUintN(64, key);
  const hi = Number(u >> 32n);
  const lo = Number(u & 0xffffffffn);
  const r = await sql<{
    pid: number;
    application_name: string | null;
    client_addr: string | null;
    backend_start: Date | string | null;
  }>`
    select a.pid, a.application_name, host(a.client_addr) as client_addr, a.backend_start
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.classid::text::bigint = ${hi} and l.objid::text::bigint = ${lo}`.execute(db);
  const row = r.rows[0];
  if (!row) return null;
  const since = row.backend_start ? new Date(row.backend_start).toISOString() : '?';
  return `${row.application_name || 'an unnamed session'} (server backend ${row.pid}, client ${row.client_addr ?? 'local socket'}, connected ${since})`;
}

/** Takes the right lock for the database. */
export async function acquireCollectorLock(
  target: LockTarget,
  serverName: string,
  owner: LockOwner,
  host: DaemonHost,
  onLost?: (err: Error) => void,
): Promise<CollectorLock> {
  if (target.dialect === 'postgres')
    return acquireAdvisoryLock(target.db, serverName, owner, { onLost });
  if (target.sqlitePath) return acquireLockFile(target.sqlitePath, owner, host);
  // an in-memory database cannot be shared: nothing to lock
  return {
    where: 'in-memory database',
    release: async () => undefined,
    check: async () => undefined,
  };
}
