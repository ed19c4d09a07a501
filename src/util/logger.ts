/**
 * Logging (pino): JSON lines to a log file, human-readable lines on a terminal (stderr).
 * Levels come from config `logging.level`, raised to debug by --verbose and lowered by --quiet.
 */
import { pino, destination, type Logger, type DestinationStream } from 'pino';
import { Writable } from 'node:stream';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** append JSON lines here; null = log to `stderr` in a readable form */
  file: string | null;
  stderr: NodeJS.WritableStream;
  /** add colour to terminal lines */
  colour?: boolean;
}

const LEVEL_ALIASES: Record<string, string> = { warning: 'warn', critical: 'fatal' };

export function normaliseLevel(level: string): string {
  const l = level.toLowerCase();
  return LEVEL_ALIASES[l] ?? l;
}

/** A readable one-line-per-record stream for terminals: `HH:MM:SS level message key=value`. */
export function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  const names: Record<number, string> = {
    10: 'trace',
    20: 'debug',
    30: 'info',
    40: 'warn',
    50: 'error',
    60: 'fatal',
  };
  return new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        try {
          const rec = JSON.parse(line) as Record<string, unknown>;
          const { level, time, msg, pid: _p, hostname: _h, ...rest } = rec;
          const t = new Date(Number(time)).toISOString().slice(11, 19);
          const extras = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ');
          out.write(
            `${t} ${names[Number(level)] ?? level} ${String(msg ?? '')}${extras ? ' ' + extras : ''}\n`,
          );
        } catch {
          out.write(line + '\n');
        }
      }
      cb();
    },
  }) as unknown as DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const level = normaliseLevel(opts.level);
  const dest = opts.file
    ? destination({ dest: opts.file, append: true, mkdir: true, sync: true })
    : prettyStream(opts.stderr);
  return pino({ level, base: { pid: process.pid } }, dest);
}

/** A logger that drops everything, for tests and library callers. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
