/**
 * IO streams for commands: data to `out`, everything else to `err`.
 * Commands never touch process.stdout directly, so tests can capture output.
 */
import { isatty } from 'node:tty';
import type { Writable } from 'node:stream';

export interface IO {
  out: Writable & { isTTY?: boolean; columns?: number };
  err: Writable & { isTTY?: boolean; columns?: number };
  /** stdout is a terminal: aligned, coloured tables */
  isStdoutTTY: boolean;
  /** stderr is a terminal: progress bars */
  isStderrTTY: boolean;
  /** stdin is a terminal: confirmation prompts allowed */
  isStdinTTY: boolean;
  colour: boolean;
  /** terminal width, or null in a pipe */
  columns: number | null;
  write(text: string): void;
  writeErr(text: string): void;
  /** ask a yes/no question on a TTY; false when there is no TTY */
  confirm(question: string): Promise<boolean>;
}

export interface ProcessStreams {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Colour only on a TTY, never with NO_COLOR (https://no-color.org), forced by FORCE_COLOR. */
export function colourWanted(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

export function systemIO(p: ProcessStreams): IO {
  const isStdoutTTY = Boolean(p.stdout.isTTY);
  return {
    out: p.stdout,
    err: p.stderr,
    isStdoutTTY,
    isStderrTTY: Boolean(p.stderr.isTTY),
    // isatty(0), not p.stdin.isTTY: touching process.stdin creates the stream on every run
    isStdinTTY: isatty(0),
    colour: colourWanted(isStdoutTTY, p.env),
    columns: isStdoutTTY ? (p.stdout.columns ?? 80) : null,
    write: (text) => void p.stdout.write(text),
    writeErr: (text) => void p.stderr.write(text),
    confirm: async (question) => {
      if (!isatty(0)) return false;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: p.stdin, output: p.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}

/** An IO that captures output, for tests. */
export interface CapturedIO extends IO {
  stdout(): string;
  stderr(): string;
}

export function captureIO(
  opts: { tty?: boolean; columns?: number; answers?: boolean[] } = {},
): CapturedIO {
  let out = '';
  let err = '';
  const answers = [...(opts.answers ?? [])];
  const sink = (append: (s: string) => void) =>
    ({
      write(chunk: unknown) {
        append(String(chunk));
        return true;
      },
    }) as unknown as Writable;
  return {
    out: sink((s) => (out += s)),
    err: sink((s) => (err += s)),
    isStdoutTTY: Boolean(opts.tty),
    isStderrTTY: false,
    isStdinTTY: answers.length > 0,
    colour: false,
    columns: opts.tty ? (opts.columns ?? 120) : null,
    write: (t) => void (out += t),
    writeErr: (t) => void (err += t),
    confirm: async () => answers.shift() ?? false,
    stdout: () => out,
    stderr: () => err,
  };
}
