/** Parses `database.url` into what the drivers need: a SQLite path or a PostgreSQL connection string. */
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { maskUrl } from '../config/mask-url.js';

export type ParsedDatabaseUrl =
  | {
      dialect: 'sqlite';
      /** absolute path, or null for an in-memory database */ path: string | null;
    }
  | { dialect: 'postgres'; connectionString: string };

/**
 * `sqlite:///~/x.db` (home), `sqlite:////abs/x.db`, `sqlite:///rel.db` (relative to cwd),
 * `sqlite://:memory:`, `postgresql://…` / `postgres://…`.
 */
export function parseDatabaseUrl(url: string, home: string, cwd?: string): ParsedDatabaseUrl {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new UsageError(`database.url ${maskUrl(trimmed)} is not a valid PostgreSQL URL`);
    }
    return { dialect: 'postgres', connectionString: trimmed };
  }
  const m = /^sqlite:\/\/(.*)$/i.exec(trimmed);
  if (!m) {
    throw new UsageError(
      `unsupported database.url ${maskUrl(trimmed)}: use sqlite:///path/to/file.db or postgresql://user@host:port/db`,
    );
  }
  // drop a query string or fragment (SQLAlchemy-style options have no meaning here)
  const rest = (m[1] ?? '').replace(/[?#].*$/, '');
  if (rest === ':memory:' || rest === '/:memory:' || rest === '') {
    if (rest === '')
      throw new UsageError('database.url sqlite:// names no file: use sqlite:///path/to/file.db');
    return { dialect: 'sqlite', path: null };
  }
  if (!rest.startsWith('/')) {
    throw new UsageError(
      `database.url ${trimmed} names a host: use three slashes for a relative path (sqlite:///file.db) or four for an absolute one (sqlite:////abs/file.db)`,
    );
  }
  const p = decodeURIComponent(rest.slice(1));
  if (p === '') throw new UsageError('database.url sqlite:/// names no file');
  if (p === '~') throw new UsageError('database.url sqlite:///~ names a folder, not a file');
  if (p.startsWith('~/')) return { dialect: 'sqlite', path: join(home, p.slice(2)) };
  if (isAbsolute(p)) return { dialect: 'sqlite', path: p };
  return { dialect: 'sqlite', path: cwd ? resolve(cwd, p) : resolve(p) };
}
