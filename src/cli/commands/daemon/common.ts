/** What the daemon commands share: the PID file, log file and host in effect. */
import { join, resolve } from 'node:path';
import type { Deps } from '../../../deps.js';
import type { DaemonHost } from '../../../daemon/host.js';
import { expandHome } from '../../../config/expand-home.js';

export interface DaemonCommonOptions {
  pidFile?: string;
  /** tests drive the commands with a fake host */
  host?: DaemonHost;
}

/** The process host: the injected one, else the real process. */
export async function hostOf(opts: DaemonCommonOptions): Promise<DaemonHost> {
  if (opts.host) return opts.host;
  const { processHost } = await import('../../../daemon/process-host.js');
  return processHost();
}

/** --pid-file, else config daemon.pid_file (default ~/.pbs_monitor_daemon.pid), absolute. */
export async function pidFileOf(opts: DaemonCommonOptions, deps: Deps): Promise<string> {
  const p = opts.pidFile ?? (await deps.config()).config.daemon.pid_file;
  return resolve(deps.cwd, expandHome(p, deps.home));
}

/** --log-file (on the command or globally), else logging.file, else `fallback` (may be null). */
export async function logFileOf(
  opts: { logFile?: string },
  deps: Deps,
  fallback: 'default' | null,
): Promise<string | null> {
  const p =
    opts.logFile ??
    deps.globals.logFile ??
    (await deps.config()).config.logging.file ??
    (fallback === 'default' ? join(deps.home, '.pbs_monitor_daemon.log') : null);
  return p === null ? null : resolve(deps.cwd, expandHome(p, deps.home));
}

/** Global flags a re-executed daemon must see again. */
export function globalArgs(deps: Deps): string[] {
  const out: string[] = [];
  if (deps.globals.configPath)
    out.push('--config', resolve(deps.cwd, expandHome(deps.globals.configPath, deps.home)));
  if (deps.globals.verbose) out.push('--verbose');
  if (deps.globals.quiet) out.push('--quiet');
  return out;
}

/** Seconds as `1d 2h 3m 4s`, largest units first. */
export function formatUptime(s: number): string {
  const parts: string[] = [];
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = Math.max(0, Math.floor(s));
  for (const [u, n] of units) {
    const q = Math.floor(rest / n);
    rest -= q * n;
    if (q > 0 || (u === 's' && parts.length === 0)) parts.push(`${q}${u}`);
  }
  return parts.slice(0, 2).join(' ');
}
