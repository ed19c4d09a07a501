#!/usr/bin/env node
/**
 * Entry point: the only module that touches `process` (argv, env, streams, signals, exit).
 * Everything else is imported after the V8 compile cache is on (Node ≥ 22.1), so later runs
 * skip compiling the CLI and commander; `--help` loads only the command registrations.
 */
import module from 'node:module';
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { Deps } from './deps.js';

// Absent on Node 20 (harmless); honours NODE_DISABLE_COMPILE_CACHE; a failure only costs speed.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { ExitCode, isUserError } = await import('./cli/errors.js');

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

async function main(argv: string[]): Promise<number> {
  // a reader that closes the pipe early (`pbs-monitor jobs | head -1`) is not an error
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(ExitCode.ok);
      throw e;
    });
  }
  const io = systemIO({
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  const abort = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    // a second signal exits at once: the user means it
    if (signals > 1) process.exit(ExitCode.failure);
    abort.abort(sig);
  };
  const opened: Deps[] = [];
  const program = buildProgram({
    version: packageVersion(),
    writeOut: (t) => io.write(t),
    writeErr: (t) => io.writeErr(t),
    deps: (globals) => {
      const d = createDeps({
        io,
        clock: systemClock,
        env: process.env,
        cwd: process.cwd(),
        home: process.env.HOME || homedir(),
        globals,
        signal: abort.signal,
        execPath: process.execPath,
      });
      // commands that manage signals themselves (the daemon) replace these listeners
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      opened.push(d);
      return d;
    },
  });
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return abort.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        return ExitCode.ok;
      }
      if (err.code === 'commander.executeSubCommandAsync') return ExitCode.ok;
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const { sanitizeText } = await import('./cli/output/sanitize.js');
    if (isUserError(err)) {
      io.writeErr(`pbs-monitor: ${sanitizeText(err.message)}\n`);
      if (verbose && err.cause)
        io.writeErr(`  cause: ${String((err.cause as Error)?.stack ?? err.cause)}\n`);
      return err.exitCode;
    }
    if (abort.signal.aborted) return ExitCode.interrupted;
    const e = err as Error;
    io.writeErr(`pbs-monitor: internal error: ${sanitizeText(e?.message ?? String(err))}\n`);
    if (verbose) io.writeErr(`${e?.stack ?? ''}\n`);
    else io.writeErr('(this is a bug; run again with --verbose for the stack)\n');
    return ExitCode.failure;
  } finally {
    for (const d of opened) await d.close();
  }
}

/** The command word (first argument that is not a global option or its value). */
function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c' || a === '--config' || a === '--log-file') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * `export` streams however many rows there are; V8 would otherwise let garbage from the batches
 * grow the heap to hundreds of MB. Re-run it once with a small heap so a million-row export stays
 * near 300 MB on a shared login node.
 */
function reexecWithSmallHeap(argv: string[]): number | null {
  if (commandWord(argv) !== 'export' || process.env.PBS_MONITOR_NO_REEXEC === '1') return null;
  if (process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) return null;
  const r = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=96',
      '--max-semi-space-size=4',
      ...process.execArgv,
      process.argv[1]!,
      ...argv,
    ],
    { stdio: 'inherit', env: { ...process.env, PBS_MONITOR_NO_REEXEC: '1' } },
  );
  if (r.error) return null; // could not start a second node: run here instead
  return r.status ?? (r.signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.failure);
}

const reexecuted = reexecWithSmallHeap(process.argv.slice(2));
if (reexecuted !== null) process.exit(reexecuted);

const [{ CommanderError }, { buildProgram }, { systemIO }, { createDeps }, { systemClock }] =
  await Promise.all([
    import('commander'),
    import('./cli/program.js'),
    import('./cli/io.js'),
    import('./deps.js'),
    import('./util/clock.js'),
  ]);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // a pool or timer left open must not keep a finished command alive
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err) => {
    process.stderr.write(`pbs-monitor: fatal: ${String(err)}\n`);
    process.exit(ExitCode.failure);
  },
);
