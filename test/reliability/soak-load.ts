/**
 * The soak's users: N processes each running CLI commands back to back until a deadline, with the
 * exit code, stderr and wall-clock latency of every run kept for the summary.
 */
import { spawn } from 'node:child_process';
import { CLI } from '../helpers/paths.js';

export interface UserRun {
  args: string[];
  code: number | null;
  ms: number;
  stderr: string;
}

export interface LoadResult {
  runs: UserRun[];
  /** one line per run a user would have seen fail (non-zero exit or a signal) */
  failures: string[];
}

/** Runs the CLI once; stdout is discarded (the soak checks outcomes, the CLI tests check output). */
export function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<UserRun> {
  const t0 = performance.now();
  return new Promise((res) => {
    const c = spawn(process.execPath, [CLI, ...args], {
      env,
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.once('close', (code, signal) =>
      res({ args, code: signal ? null : code, ms: performance.now() - t0, stderr }),
    );
  });
}

/**
 * `workers` processes loop over `commands` (each starting at a different offset, so every command
 * always runs next to the others) until `until` (epoch ms).
 */
export async function runUserLoad(opts: {
  commands: string[][];
  workers: number;
  until: number;
  env: Record<string, string>;
  cwd: string;
}): Promise<LoadResult> {
  const runs: UserRun[] = [];
  const worker = async (i: number) => {
    for (let k = 0; Date.now() < opts.until; k++) {
      const args = opts.commands[(i + k) % opts.commands.length]!;
      runs.push(await runCli(args, opts.env, opts.cwd));
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, (_, i) => worker(i)));
  const failures = runs
    .filter((r) => r.code !== 0)
    .map((r) => `${r.args.join(' ')} → ${r.code ?? 'signal'}: ${r.stderr.slice(0, 300)}`);
  return { runs, failures };
}

/** Nearest-rank percentile of `values` (p in 0..100); NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
