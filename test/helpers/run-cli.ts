/**
 * Runs the BUILT command line (`node dist/main.js …`) as a user would: its own HOME, NO_COLOR,
 * TZ=UTC and PBS_MONITOR_PBS_BIN pointing at a stub folder. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT } from './paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** stub folder (PBS_MONITOR_PBS_BIN) */
  pbsBin?: string;
  home?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** kill the command after this long (default 30 s) */
  timeoutMs?: number;
}

/**
 * maxBuffer for spawnSync of our CLIs: past it (1 MB by default) spawnSync kills the child, and
 * whether the kill lands before the child exits is a race (the hostile-input table with a 64 KB
 * name is 1.1 MB, and failed once in CI with exit status null).
 */
export const CHILD_OUTPUT_LIMIT = 256 * 1024 * 1024;

/** A fresh temporary HOME. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'pbs-home-'));
}

/** Runs `pbs-monitor args…` and returns its exit code and output. */
export function runCli(args: string[], opts: RunCliOptions = {}): CliResult {
  const home = opts.home ?? tempHome();
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
  };
  if (opts.pbsBin) env.PBS_MONITOR_PBS_BIN = opts.pbsBin;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? home,
    env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
    maxBuffer: CHILD_OUTPUT_LIMIT,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export { ROOT };
