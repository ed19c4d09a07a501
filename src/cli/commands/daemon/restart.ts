/** `daemon restart`: stop the daemon if it runs, then start it again in the background. */
import type { Deps } from '../../../deps.js';
import { run as stop } from './stop.js';
import { run as start, type StartOptions } from './start.js';

export type RestartOptions = StartOptions & { timeout?: string };

export async function run(opts: RestartOptions, deps: Deps): Promise<void> {
  await stop({ pidFile: opts.pidFile, host: opts.host, timeout: opts.timeout }, deps);
  await start({ ...opts, detach: true }, deps);
}
