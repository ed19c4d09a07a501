/**
 * The daemon's logger: JSON lines appended to the log file (reopened on SIGHUP, for log rotation),
 * or human-readable lines on stderr when there is no log file (foreground on a terminal, or under
 * systemd where stderr goes to the journal).
 */
import { pino, destination } from 'pino';
import type { Logger } from '../util/logger.js';
import { normaliseLevel, prettyStream } from '../util/logger.js';

export interface DaemonLogger {
  logger: Logger;
  /** reopen the log file (after logrotate moved it) */
  reopen(): void;
  setLevel(level: string): void;
  /** flush and close the file */
  close(): void;
}

/** Creates the daemon logger for `file` (null = readable lines on `stderr`). */
export function createDaemonLogger(opts: {
  level: string;
  file: string | null;
  stderr: NodeJS.WritableStream;
  pid: number;
}): DaemonLogger {
  if (!opts.file) {
    const logger = pino(
      { level: normaliseLevel(opts.level), base: { pid: opts.pid } },
      prettyStream(opts.stderr),
    );
    return {
      logger,
      reopen: () => undefined,
      setLevel: (l) => (logger.level = normaliseLevel(l)),
      close: () => undefined,
    };
  }
  const dest = destination({ dest: opts.file, append: true, mkdir: true, sync: true });
  const logger = pino({ level: normaliseLevel(opts.level), base: { pid: opts.pid } }, dest);
  return {
    logger,
    reopen: () => dest.reopen(),
    setLevel: (l) => (logger.level = normaliseLevel(l)),
    close: () => {
      try {
        dest.flushSync();
      } catch {
        // nothing buffered (sync destination)
      }
      dest.end();
    },
  };
}
