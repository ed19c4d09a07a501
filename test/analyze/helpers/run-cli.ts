/** Runs the CLI in-process against an already-open test database (no config file needed). */
import { CommanderError } from 'commander';
import type { Kysely } from 'kysely';
import { buildProgram } from '../../../src/cli/program.js';
import { captureIO } from '../../../src/cli/io.js';
import { createDeps } from '../../../src/deps.js';
import { FakeClock } from '../../../src/util/clock.js';
import { isUserError } from '../../../src/cli/errors.js';
import type { Database } from '../../../src/store/schema.js';
import type { DatabaseHandle } from '../../../src/store/db.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `argv` with `now` (epoch seconds) as the clock and `handle` as the database. */
export async function runCli(
  argv: string[],
  handle: DatabaseHandle,
  now: number,
): Promise<CliResult> {
  const io = captureIO();
  const program = buildProgram({
    version: 'test',
    writeOut: (t) => io.write(t),
    writeErr: (t) => io.writeErr(t),
    deps: (globals) => {
      const d = createDeps({
        io,
        clock: new FakeClock(now * 1000),
        env: {},
        cwd: '/',
        home: '/nonexistent',
        globals,
      });
      return { ...d, db: async () => handle.db as Kysely<Database>, dbHandle: async () => handle };
    },
  });
  let code = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : 2;
    else if (isUserError(err)) {
      io.writeErr(`pbs-monitor: ${err.message}\n`);
      code = err.exitCode;
    } else throw err;
  }
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}
