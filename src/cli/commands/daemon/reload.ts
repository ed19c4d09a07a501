/** `daemon reload`: SIGHUP the daemon (re-read the config, reopen the log) and confirm it happened. */
import type { Deps } from '../../../deps.js';
import { UserError } from '../../../cli/errors.js';
import { readPidFile } from '../../../daemon/pid-file.js';
import { readStateFile, stateFilePath } from '../../../daemon/state-file.js';
import { hostOf, pidFileOf, type DaemonCommonOptions } from './common.js';

export type ReloadOptions = DaemonCommonOptions & { timeout?: string };

export async function run(opts: ReloadOptions, deps: Deps): Promise<void> {
  const host = await hostOf(opts);
  const pidFile = await pidFileOf(opts, deps);
  const st = readPidFile(pidFile, host);
  if (st.state !== 'running')
    throw new UserError(`the daemon is not running (PID file ${pidFile})`, 3);
  const statePath = stateFilePath(pidFile);
  const before = readStateFile(statePath)?.reloadAttempts ?? 0;
  host.kill(st.pid, 'SIGHUP');
  const t0 = deps.clock.nowMs();
  const limit = Number(opts.timeout ?? '10') * 1000;
  for (;;) {
    const s = readStateFile(statePath);
    if (s && s.pid === st.pid && (s.reloadAttempts ?? 0) > before) {
      if (s.reloadError)
        throw new UserError(
          `the daemon (PID ${st.pid}) could not reload, it keeps its configuration: ${s.reloadError}`,
        );
      const iv = Object.entries(s.intervals)
        .map(([k, v]) => `${k} ${v}s`)
        .join(', ');
      deps.io.writeErr(`daemon reloaded (PID ${st.pid}): intervals ${iv}\n`);
      return;
    }
    if (deps.clock.nowMs() - t0 > limit) {
      throw new UserError(
        `sent SIGHUP to PID ${st.pid}, but it did not confirm a reload within ${limit / 1000} s (see its log)`,
      );
    }
    await deps.clock.sleep(100);
  }
}
