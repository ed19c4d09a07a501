/**
 * Whether a collector (the daemon) holds a SQLite database: it keeps `<db>.lock` holding JSON
 * {pid, host, startedAt}. A lock whose pid is alive on this host is held; one whose pid is dead
 * here is stale; one from another host cannot be checked, so it counts as held.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** A sentence naming the holder, or null when no live collector holds the database. */
export function collectorHolding(dbPath: string): string | null {
  const path = `${dbPath}.lock`;
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (!st.isFile()) return `${path} exists and is not a regular file`;
  let owner: { pid?: unknown; host?: unknown } = {};
  try {
    owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
  } catch {
    return `a collector lock ${path} exists but cannot be read (remove it if no collector runs)`;
  }
  const pid = typeof owner.pid === 'number' ? owner.pid : null;
  const host = typeof owner.host === 'string' ? owner.host : '?';
  const who = `a collector (PID ${pid ?? '?'} on ${host}) holds the database (lock ${path})`;
  if (host !== hostname()) return `${who}; if that host no longer runs it, remove the lock file`;
  // /proc tells whether the pid lives without signalling it; without /proc assume it does
  if (pid === null || !existsSync('/proc/self')) return who;
  return existsSync(`/proc/${pid}`) ? who : null;
}
