/**
 * `daemon start`: run the collection daemon in the foreground (default; logs on the terminal),
 * or with --detach re-exec it in the background and return only once it reports ready.
 */
import { readFileSync } from 'node:fs';
import type { Deps } from '../../../deps.js';
import { ExitCode, UserError } from '../../../cli/errors.js';
import { assertDaemonEnabled, runDaemon, type RunCollectionFn } from '../../../daemon/daemon.js';
import { readPidFile } from '../../../daemon/pid-file.js';
import { globalArgs, hostOf, logFileOf, pidFileOf, type DaemonCommonOptions } from './common.js';

export interface StartOptions extends DaemonCommonOptions {
  detach?: boolean;
  logFile?: string;
  /** internal: this process is the re-executed background daemon; report readiness over IPC */
  foregroundChild?: boolean;
  /** hidden: drive the schedule on an emulated cluster's clock (demo) */
  emulated?: string;
  days?: string;
  /** how long --detach waits for readiness (ms) */
  readyTimeoutMs?: number;
  runCollection?: RunCollectionFn;
}

export interface ReadyMessage {
  ok: boolean;
  pid?: number;
  error?: string;
  exitCode?: number;
}

/** The last lines of the log, to show why a background start failed. */
function logTail(path: string, lines = 8): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export async function run(opts: StartOptions, deps: Deps): Promise<void> {
  const host = await hostOf(opts);
  const loaded = await deps.config();
  assertDaemonEnabled(loaded.config, loaded.path);
  if (opts.emulated) {
    const { runDaemonOverEmulatedTime } = await import('../../../daemon/emulated-run.js');
    const days = Number(opts.days ?? '7');
    if (!(days > 0))
      throw new UserError(`--days must be a positive number (got ${opts.days})`, ExitCode.usage);
    const summary = await runDaemonOverEmulatedTime({ clusterDir: opts.emulated, days, deps });
    deps.io.write(JSON.stringify(summary, null, 2) + '\n');
    return;
  }
  const pidFile = await pidFileOf(opts, deps);
  if (opts.detach) return startDetached(opts, deps, pidFile);
  const logFile = await logFileOf(opts, deps, null);
  const child = opts.foregroundChild === true;
  try {
    const code = await runDaemon({
      deps,
      host,
      pidFile,
      logFile,
      runCollection: opts.runCollection,
      onReady: ({ pid }) => {
        if (child) host.notifyParent({ ok: true, pid } satisfies ReadyMessage);
      },
    });
    if (code !== 0) throw new UserError('the daemon stopped with an error', code);
  } catch (err) {
    if (child) {
      const msg = err instanceof Error ? err.message : String(err);
      const exitCode = err instanceof UserError ? err.exitCode : ExitCode.failure;
      host.notifyParent({ ok: false, error: msg, exitCode } satisfies ReadyMessage);
    }
    throw err;
  }
}

async function startDetached(opts: StartOptions, deps: Deps, pidFile: string): Promise<void> {
  const host = await hostOf(opts);
  const existing = readPidFile(pidFile, host);
  if (existing.state === 'running')
    throw new UserError(`the daemon is already running (PID ${existing.pid}, PID file ${pidFile})`);
  const logFile = (await logFileOf(opts, deps, 'default')) as string;
  const args = [
    host.scriptPath,
    ...globalArgs(deps),
    'daemon',
    'start',
    '--foreground-child',
    '--pid-file',
    pidFile,
    '--log-file',
    logFile,
  ];
  const child = host.spawnDetached({
    execPath: host.execPath,
    args,
    env: deps.env,
    cwd: deps.cwd,
    logFile,
  });
  let msg: ReadyMessage;
  try {
    msg = (await child.firstMessage(opts.readyTimeoutMs ?? 60_000)) as ReadyMessage;
  } catch (err) {
    child.release();
    const tail = logTail(logFile);
    throw new UserError(
      `the daemon did not start: ${(err as Error).message} (log ${logFile})${tail ? `\n${tail}` : ''}`,
    );
  }
  child.release();
  if (!msg.ok) {
    throw new UserError(
      `the daemon did not start: ${msg.error ?? 'unknown error'}`,
      msg.exitCode ?? ExitCode.failure,
    );
  }
  deps.io.writeErr(
    `daemon started in the background (PID ${msg.pid}); PID file ${pidFile}; log ${logFile}\n`,
  );
}
