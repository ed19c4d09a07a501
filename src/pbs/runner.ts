/**
 * The one way pbs-monitor runs PBS commands: spawn with an argument array (never a shell),
 * `LC_ALL=C`, an optional `TZ`, a per-command timeout that SIGKILLs the child, and stdout kept as
 * a Buffer (the parsers decode it themselves: PBS output is not always valid UTF-8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { InterruptedError } from '../cli/errors.js';
import type { CommandTiming } from './client-types.js';
import { PbsCommandError, PbsTimeoutError } from './errors.js';
import { findPbsBinary } from './find-binary.js';
import { describeFailure } from './command-failure.js';

export type PbsCommandName = 'qstat' | 'pbsnodes' | 'pbs_rstat' | 'qselect';

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  ms: number;
}

export interface PbsRunner {
  /** Runs `command args…`; resolves on exit 0, rejects with a typed PbsError otherwise. */
  run(command: PbsCommandName, args: string[]): Promise<RunResult>;
  /** the timings recorded since the last call */
  takeTimings(): CommandTiming[];
}

export interface PbsRunnerOptions {
  binDir?: string | null;
  /** seconds; default 30 */
  timeoutSeconds?: number;
  /** IANA zone handed to PBS as TZ, so it prints local times in the zone the parser reads */
  timezone?: string | null;
  /** PBS server to query (PBS_SERVER for the child); null = PBS's default */
  server?: string | null;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** bytes of stdout accepted; Aurora's `qstat -x -f -F json` runs to hundreds of MB */
  maxBuffer?: number;
  /** monotonic milliseconds, for durations */
  now?: () => number;
}

export const DEFAULT_MAX_BUFFER = 1024 * 1024 * 1024;

/** Creates the runner; binaries are looked up once per command name. */
export function createPbsRunner(opts: PbsRunnerOptions): PbsRunner {
  const timeoutMs = Math.round((opts.timeoutSeconds ?? 30) * 1000);
  const now = opts.now ?? (() => performance.now());
  const paths = new Map<string, string>();
  const timings: CommandTiming[] = [];
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) childEnv[k] = v;
  // PBS messages and number formats in the C locale, whatever the user's shell says
  childEnv.LC_ALL = 'C';
  if (opts.timezone) childEnv.TZ = opts.timezone;
  if (opts.server) childEnv.PBS_SERVER = opts.server;

  const binary = (command: string): string => {
    let p = paths.get(command);
    if (!p) {
      p = findPbsBinary(command, { binDir: opts.binDir, env: opts.env });
      paths.set(command, p);
    }
    return p;
  };

  return {
    takeTimings: () => timings.splice(0, timings.length),
    run: (command, args) =>
      new Promise<RunResult>((resolve, reject) => {
        if (opts.signal?.aborted) return reject(new InterruptedError());
        let file: string;
        try {
          file = binary(command);
        } catch (err) {
          return reject(err);
        }
        const label = [command, ...args].join(' ');
        const started = now();
        let timedOut = false;
        let aborted = false;
        let child: ChildProcess | undefined = undefined;
        // the child leads its own process group, so a kill reaches anything it spawned too
        const killGroup = () => {
          const pid = child?.pid;
          if (pid === undefined) return;
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            child?.kill('SIGKILL');
          }
        };
        const timer = setTimeout(() => {
          timedOut = true;
          killGroup();
        }, timeoutMs);
        const onAbort = () => {
          aborted = true;
          killGroup();
        };
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        const finish = (error: NodeJS.ErrnoException | null, status: number | null) => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          const ms = Math.round((now() - started) * 10) / 10;
          const out = Buffer.concat(outChunks);
          const stderr = Buffer.concat(errChunks).toString('utf8').trim();
          timings.push({ command: label, ms, bytes: out.length });
          if (aborted) return reject(new InterruptedError(`${command} interrupted`));
          if (timedOut) return reject(new PbsTimeoutError(label, timeoutMs));
          if (overflow)
            return reject(
              new PbsCommandError(
                `${label}: output larger than ${maxBuffer / 2 ** 20} MiB; stopped reading (raise it only if PBS really prints that much)`,
                label,
                null,
                stderr,
                '',
                false,
              ),
            );
          if (error)
            // spawn itself failed (EACCES, a vanished file, …)
            return reject(
              new PbsCommandError(
                `${label}: cannot run ${file}: ${error.message}`,
                label,
                null,
                stderr,
                '',
                false,
              ),
            );
          if (status === 0) return resolve({ stdout: out, stderr, ms });
          reject(describeFailure(label, status, stderr, out));
        };
        const maxBuffer = opts.maxBuffer ?? DEFAULT_MAX_BUFFER;
        const outChunks: Buffer[] = [];
        const errChunks: Buffer[] = [];
        let outBytes = 0;
        let errBytes = 0;
        let overflow = false;
        let spawnError: NodeJS.ErrnoException | null = null;
        // spawn, not execFile: only spawn can give the child its own process group (detached),
        // so a timeout also kills what a site's qstat wrapper script started; never a shell
        child = spawn(file, args, {
          env: childEnv,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
        child.stdout?.on('data', (chunk: Buffer) => {
          outBytes += chunk.length;
          if (outBytes > maxBuffer) {
            if (!overflow) killGroup();
            overflow = true;
            return;
          }
          outChunks.push(chunk);
        });
        child.stderr?.on('data', (chunk: Buffer) => {
          // stderr is for messages: a megabyte is plenty
          if (errBytes < 1024 * 1024) errChunks.push(chunk);
          errBytes += chunk.length;
        });
        child.on('error', (err) => {
          spawnError = err;
        });
        child.on('close', (code, sig) => finish(spawnError, code ?? (sig ? null : 0)));
      }),
  };
}
