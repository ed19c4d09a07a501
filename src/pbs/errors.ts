/**
 * Typed PBS failures. Each says plainly what went wrong and maps to an exit code
 * (3: PBS unavailable / command failed; 1: output that cannot be read).
 */
import { UserError, ExitCode } from '../cli/errors.js';

export class PbsError extends UserError {
  constructor(
    message: string,
    readonly command: string,
    exitCode: number = ExitCode.pbsUnavailable,
    options?: { cause?: unknown },
  ) {
    super(message, exitCode, options);
    this.name = 'PbsError';
  }
}

/** The binary is in none of the places searched. */
export class PbsNotFoundError extends PbsError {
  constructor(
    command: string,
    readonly searched: string[],
  ) {
    super(
      `${command}: not found (looked in ${searched.join(', ')}); set pbs.bin_dir in the config or PBS_MONITOR_PBS_BIN`,
      command,
    );
    this.name = 'PbsNotFoundError';
  }
}

/** The command ran past pbs.command_timeout and was killed. */
export class PbsTimeoutError extends PbsError {
  constructor(
    command: string,
    readonly timeoutMs: number,
  ) {
    super(
      `${command}: timed out after ${timeoutMs / 1000} s and was killed (pbs.command_timeout)`,
      command,
    );
    this.name = 'PbsTimeoutError';
  }
}

/** The command exited non-zero; `serverDown` when the reason is an unreachable server. */
export class PbsCommandError extends PbsError {
  constructor(
    message: string,
    command: string,
    readonly status: number | null,
    readonly stderr: string,
    readonly stdout: string,
    readonly serverDown: boolean,
  ) {
    super(message, command);
    this.name = 'PbsCommandError';
  }
}

/** The output cannot be read (truncated, garbage): names the command and the byte offset. */
export class PbsOutputError extends PbsError {
  constructor(
    message: string,
    command: string,
    readonly offset: number,
    /** the raw output, kept for the spool */
    readonly output?: string | Buffer,
  ) {
    super(`${command}: unreadable output at byte ${offset}: ${message}`, command, ExitCode.failure);
    this.name = 'PbsOutputError';
  }
}
