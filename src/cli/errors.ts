/**
 * Typed errors and the one table of exit codes. Only `main.ts` turns these into `process.exit`.
 * A `UserError` prints its message only; anything else is a bug and prints its stack with --verbose.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  pbsUnavailable: 3,
  databaseUnavailable: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the user can act on: printed without a stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Bad flags, arguments or configuration: exit 2. */
export class UsageError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
    this.name = 'UsageError';
  }
}

/** A query matched nothing where something was asked for (e.g. `job show` of an unknown id). */
export class NoResultsError extends UserError {
  constructor(message: string) {
    super(message, ExitCode.failure);
    this.name = 'NoResultsError';
  }
}

/** The database cannot be reached or opened: exit 4. */
export class DatabaseUnavailableError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.databaseUnavailable, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Ctrl-C or a signal ended the command: exit 130. */
export class InterruptedError extends UserError {
  constructor(message = 'interrupted') {
    super(message, ExitCode.interrupted);
    this.name = 'InterruptedError';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
