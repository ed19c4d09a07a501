/**
 * The daemon's PID file: created atomically, never through a symbolic link, and never trusted
 * blindly: a PID whose process is gone, or now belongs to another program, is a stale file.
 */
import { unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { DaemonHost } from './host.js';
import { createExclusive, readExisting, removeIfOwned } from './exclusive-file.js';

export type PidFileStatus =
  | { state: 'absent' }
  | { state: 'running'; pid: number }
  | { state: 'stale'; pid: number | null; reason: string }
  | { state: 'symlink' };

/** True when a command line is a pbs-monitor daemon (node …/main.js daemon … or pbs-monitor daemon …). */
export function isDaemonCommandLine(args: string[] | null): boolean {
  if (!args) return false;
  const script = args.some((a) => {
    const b = basename(a);
    return b === 'main.js' || b === 'pbs-monitor' || a.includes('pbs-monitor/');
  });
  return script && args.includes('daemon');
}

/** Reads the PID file and decides whether its process is really our daemon. */
export function readPidFile(
  path: string,
  host: Pick<DaemonHost, 'isAlive' | 'processCommandLine'>,
): PidFileStatus {
  const cur = readExisting(path);
  if (cur.kind === 'absent') return { state: 'absent' };
  if (cur.kind === 'symlink') return { state: 'symlink' };
  if (cur.kind === 'other') return { state: 'stale', pid: null, reason: 'not a regular file' };
  const m = /^\s*(\d+)\s*$/.exec(cur.text.split('\n')[0] ?? '');
  const pid = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(pid) || pid <= 0)
    return { state: 'stale', pid: null, reason: 'it holds no valid PID' };
  if (!host.isAlive(pid)) return { state: 'stale', pid, reason: `process ${pid} is gone` };
  const cmd = host.processCommandLine(pid);
  // unreadable /proc (other user, hidepid): trust the live PID rather than risk two daemons
  if (cmd !== null && !isDaemonCommandLine(cmd))
    return {
      state: 'stale',
      pid,
      reason: `PID ${pid} now belongs to another program (${basename(cmd[0] ?? '?')})`,
    };
  return { state: 'running', pid };
}

/** Writes our PID, cleaning a stale file first; throws a UserError when a daemon already runs. */
export function acquirePidFile(path: string, host: DaemonHost): { cleaned: string | null } {
  let cleaned: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, `${host.pid}\n`)) return { cleaned };
    const st = readPidFile(path, host);
    if (st.state === 'running') {
      if (st.pid === host.pid) return { cleaned };
      throw new UserError(`a daemon is already running (PID ${st.pid}, PID file ${path})`);
    }
    if (st.state === 'symlink')
      throw new UserError(
        `the PID file ${path} is a symbolic link: refusing to use it (remove it)`,
      );
    if (st.state === 'stale') {
      cleaned = st.reason;
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  throw new UserError(`could not create the PID file ${path} (another process keeps creating it)`);
}

/** Removes the PID file if it still holds `pid`. */
export function releasePidFile(path: string, pid: number): boolean {
  return removeIfOwned(path, (t) => t.trim() === String(pid));
}

/** Removes a PID file found stale (checked again just before removal). */
export function cleanStalePidFile(path: string, host: DaemonHost): boolean {
  const st = readPidFile(path, host);
  if (st.state !== 'stale') return false;
  return removeIfOwned(path, (t) => t.trim() === String(st.pid ?? t.trim()));
}
