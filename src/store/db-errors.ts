/**
 * Which database errors mean "the database cannot be reached or written right now" (so the daemon
 * keeps PBS's state in its outage spool and replays it later) as opposed to a bug or bad data.
 * Works on error objects (driver codes, SQLSTATE, causes) and on the message text a collection
 * result keeps, since the collectors report failures as strings.
 */

/** Node socket errors a lost or refused PostgreSQL connection shows. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs: admin/crash shutdown, cannot connect now, too many connections. Class 08 is tested apart. */
const PG_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** SQLite result codes (better-sqlite3 puts the extended name in `code`). */
const SQLITE_PREFIXES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
];

/** Message patterns of the same conditions, for errors known only by their text. */
const MESSAGE_PATTERNS: RegExp[] = [
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH)\b/,
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /terminating connection due to administrator command/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
  /sorry, too many clients already/i,
  /remaining connection slots are reserved/i,
  /cannot reach the PostgreSQL server/i,
  /Client has encountered a connection error/i,
  /database is locked/i,
  /database table is locked/i,
  /database or disk is full/i,
  /disk I\/O error/i,
  /unable to open database file/i,
  /attempt to write a readonly database/i,
  /database unavailable/i,
];

function codeOf(err: object): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function classifyOne(err: unknown): boolean {
  if (typeof err === 'string') return MESSAGE_PATTERNS.some((re) => re.test(err));
  if (!err || typeof err !== 'object') return false;
  const code = codeOf(err);
  if (code) {
    if (SOCKET_CODES.has(code) || PG_STATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    if (SQLITE_PREFIXES.some((p) => code === p || code.startsWith(`${p}_`))) return true;
  }
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGE_PATTERNS.some((re) => re.test(message));
}

/**
 * True when `err` (an Error, a driver error or a message) means the database is unreachable or not
 * writable now: a connection refused, reset or cut, a server shutting down or out of connection
 * slots, SQLite busy or locked past its timeout, full, failing I/O, not openable or read-only.
 * Follows `cause` and AggregateError members.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length > 0) {
    const e = stack.pop();
    if (e === null || e === undefined || seen.has(e)) continue;
    seen.add(e);
    if (classifyOne(e)) return true;
    if (typeof e === 'object') {
      stack.push((e as { cause?: unknown }).cause);
      const inner = (e as { errors?: unknown }).errors;
      if (Array.isArray(inner)) stack.push(...(inner as unknown[]));
    }
  }
  return false;
}
