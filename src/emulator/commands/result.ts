/** What an emulated PBS command produced: its output, its exit code and how long to stall first. */
export interface CommandResult {
  stdout: string | Buffer;
  stderr: string;
  code: number;
  /** milliseconds to wait before printing (slow / timeout faults) */
  delayMs: number;
}

export function ok(stdout: string, code = 0, stderr = ''): CommandResult {
  return { stdout, stderr, code, delayMs: 0 };
}
