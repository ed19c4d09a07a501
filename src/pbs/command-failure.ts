/**
 * Turns a PBS command's non-zero exit into a plain, typed error. PBS quirk: a down server and an
 * idle one print the same header-only JSON; only the exit status (255) and stderr tell them apart.
 */
import { PbsCommandError } from './errors.js';

// what qstat / pbsnodes / pbs_rstat print when the server cannot be reached
const SERVER_DOWN =
  /cannot connect to server|connection refused|errno=150(10|31|32|33|34|35|36)|no route to host|connection timed out|server not available|pbs_connect|cannot resolve|unknown host|communication failure/i;
const UNKNOWN_JOB = /Unknown Job Id\s+(\S+)/i;
const FINISHED_JOB = /(\S+)\s+Job has finished/i;

/** PBS's exit status for an unknown job id. */
export const EXIT_UNKNOWN_JOB = 153;
/** PBS's exit status for a finished job asked for without -x. */
export const EXIT_JOB_FINISHED = 35;

/** Builds the error for `label` exiting with `status` and `stderr`. */
export function describeFailure(
  label: string,
  status: number | null,
  stderr: string,
  stdout: Buffer,
): PbsCommandError {
  const firstLines = stderr.split('\n').filter(Boolean).slice(0, 3).join('; ');
  const out = stdout.length > 4096 ? '' : stdout.toString('utf8');
  if (SERVER_DOWN.test(stderr)) {
    const server = /cannot connect to server (\S+)/i.exec(stderr)?.[1];
    return new PbsCommandError(
      `cannot reach PBS server${server ? ` ${server}` : ''}: ${firstLines} (${label} exited ${status ?? '?'})`,
      label,
      status,
      stderr,
      out,
      true,
    );
  }
  const unknown = UNKNOWN_JOB.exec(stderr);
  if (unknown) {
    return new PbsCommandError(
      `job ${unknown[1]} not found: PBS does not know it (${firstLines})`,
      label,
      status,
      stderr,
      out,
      false,
    );
  }
  const finished = FINISHED_JOB.exec(stderr);
  if (finished) {
    return new PbsCommandError(
      `job ${finished[1]} has finished; PBS shows it only with -x (${firstLines})`,
      label,
      status,
      stderr,
      out,
      false,
    );
  }
  const why = firstLines || '(no message on stderr)';
  return new PbsCommandError(
    `${label} exited with status ${status ?? '?'}: ${why}`,
    label,
    status,
    stderr,
    out,
    false,
  );
}
