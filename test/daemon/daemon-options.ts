/** The runDaemon options the daemon tests share: PID and log files in the test folder. */
import { join } from 'node:path';
import type { runDaemon, RunCollectionFn } from '../../src/daemon/daemon.js';
import type { Deps } from '../../src/deps.js';
import type { fakeHost } from './fake-host.js';

export function daemonOptions(
  dir: string,
  deps: Deps,
  host: ReturnType<typeof fakeHost>,
  run: RunCollectionFn,
): Parameters<typeof runDaemon>[0] {
  return {
    deps,
    host,
    pidFile: join(dir, 'd.pid'),
    logFile: join(dir, 'd.log'),
    runCollection: run,
  };
}
