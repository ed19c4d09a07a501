/** Which SQL dialect a Kysely instance speaks, read from its adapter (no driver import). */
import { PostgresAdapter, SqliteAdapter, type DialectAdapter } from 'kysely';
import type { DialectName } from './db.js';

/** 'sqlite' or 'postgres' for a Kysely instance built by `openDatabase` (or a transaction of it). */
export function dialectOf(db: { getExecutor(): { adapter: DialectAdapter } }): DialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgres';
  throw new Error(`unsupported database adapter ${adapter.constructor.name}`);
}
