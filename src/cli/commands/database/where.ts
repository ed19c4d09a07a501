import type { DatabaseHandle } from '../../../store/db.js';

/** How a database is named to the user: the SQLite file, or the URL with its password masked. */
export function whereIs(h: DatabaseHandle): string {
  return h.dialect === 'sqlite' ? (h.sqlitePath ?? 'the in-memory database') : h.maskedUrl;
}
