/**
 * A PbsRunner that answers from the emulator in this process instead of spawning its qstat
 * scripts: the same output and exit codes, without a process start per command. Used only by the
 * emulated daemon run (demo), where thousands of commands run in a row.
 */
import type { PbsCommandName, PbsRunner, RunResult } from '../pbs/runner.js';
import type { CommandTiming } from '../pbs/client-types.js';
import { describeFailure } from '../pbs/command-failure.js';

type RunPbsCommand = (
  name: PbsCommandName,
  dir: string,
  argv: string[],
  env?: Record<string, string | undefined>,
) => { stdout: string | Buffer; stderr: string; code: number };

/** The runner for the emulated cluster in `dir`. */
export function emulatorRunner(
  dir: string,
  runPbsCommand: RunPbsCommand,
  env: Record<string, string | undefined>,
): PbsRunner {
  const timings: CommandTiming[] = [];
  return {
    async run(command, args): Promise<RunResult> {
      const t0 = performance.now();
      // the emulator's slow/timeout faults only delay a real process; here they are skipped
      const r = runPbsCommand(command, dir, args, env);
      const stdout = Buffer.isBuffer(r.stdout) ? r.stdout : Buffer.from(r.stdout);
      const ms = Math.round((performance.now() - t0) * 10) / 10;
      const label = [command, ...args].join(' ');
      timings.push({ command: label, ms, bytes: stdout.length });
      if (r.code !== 0) throw describeFailure(label, r.code, r.stderr.trim(), stdout);
      return { stdout, stderr: r.stderr.trim(), ms };
    },
    takeTimings: () => timings.splice(0),
  };
}
