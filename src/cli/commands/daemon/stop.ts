/** `daemon stop`: SIGTERM the daemon and wait until it is down; clean a stale PID file. */
import type { Deps } from '../../../deps.js';
import { UserError } from '../../../cli/errors.js';
import { cleanStalePidFile, readPidFile } from '../../../daemon/pid-file.js';
import { removeStateFile, stateFilePath } from '../../../daemon/state-file.js';
import { hostOf, pidFileOf, type DaemonCommonOptions } from './common.js';

export interface StopOptions extends DaemonCommonOptions {
  /** seconds to wait (default: collection.shutdown_timeout + 15) */
  timeout?: string;
}

/** What stop found and did. */
export type StopOutcome = 'stopped' | 'not-running' | 'stale-cleaned';

export async function run(opts: StopOptions, deps: Deps): Promise<StopOutcome> {
  const host = await hostOf(opts);
  const pidFile = await pidFileOf(opts, deps);
  const { config } = await deps.config();
  const timeoutS =
    opts.timeout !== undefined ? Number(opts.timeout) : config.collection.shutdown_timeout + 15;
  if (!(timeoutS > 0))
    throw new UserError(`--timeout must be a positive number of seconds (got ${opts.timeout})`, 2);
  const st = readPidFile(pidFile, host);
  if (st.state === 'absent') {
    deps.io.writeErr(`the daemon is not running (no PID file ${pidFile})\n`);
    return 'not-running';
  }
  if (st.state === 'symlink')
    throw new UserError(`the PID file ${pidFile} is a symbolic link: not trusting it (remove it)`);
  if (st.state === 'stale') {
    cleanStalePidFile(pidFile, host);
    removeStateFile(stateFilePath(pidFile), st.pid ?? -1);
    deps.io.writeErr(
      `the daemon is not running; removed a stale PID file ${pidFile} (${st.reason})\n`,
    );
    return 'stale-cleaned';
  }
  const t0 = deps.clock.nowMs();
  host.kill(st.pid, 'SIGTERM');
  while (host.isAlive(st.pid)) {
    if (deps.clock.nowMs() - t0 > timeoutS * 1000) {
      throw new UserError(
        `the daemon (PID ${st.pid}) did not stop within ${timeoutS} s; it may still be finishing a run: wait, or force it with kill -9 ${st.pid}`,
      );
    }
    await deps.clock.sleep(100);
  }
  const secs = ((deps.clock.nowMs() - t0) / 1000).toFixed(1);
  deps.io.writeErr(`daemon stopped (PID ${st.pid}, in ${secs} s)\n`);
  return 'stopped';
}
