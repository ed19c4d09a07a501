/**
 * A prepared-statement cache in front of an SQLite database for Kysely's SqliteDialect, which
 * otherwise prepares every statement afresh. Preparing a multi-row insert costs about as much CPU
 * as running it (SQLite compiles one VDBE program per statement text), so the batch writer's
 * fixed-size chunks reuse one compiled statement each, as do the repeated selects and
 * BEGIN/COMMIT of a collection run.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The part of a better-sqlite3 statement the cache needs beyond Kysely's interface. */
export interface CacheableStatement extends SqliteStatement {
  /** true while an iterate() over it is open: it cannot be run again until that ends */
  readonly busy: boolean;
}

export interface CacheableDatabase {
  prepare(sql: string): CacheableStatement;
  close(): void;
}

/** Distinct statement texts kept (least recently used dropped first). */
const DEFAULT_CAPACITY = 128;

/** Wraps `db` so that `prepare` returns the cached statement for a text it has seen. */
export function cachingSqliteDatabase(
  db: CacheableDatabase,
  capacity = DEFAULT_CAPACITY,
): SqliteDatabase {
  const cache = new Map<string, CacheableStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // re-insert: Map keeps insertion order, so the first key is the least recently used
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      // a statement busy in an open iterator stays with that iterator; this one replaces it
      cache.delete(sql);
      cache.set(sql, stmt);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    close(): void {
      cache.clear();
      db.close();
    },
  };
}
