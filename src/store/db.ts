/** Placeholder until the store lands. The only module that imports a database driver. */
import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import type { Logger } from '../util/logger.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface OpenDatabaseOptions {
  url: string;
  config: Config;
  logger: Logger;
  home: string;
  /** refuse a schema older or newer than the code (default true) */
  requireCurrentSchema?: boolean;
  /** create the SQLite file if missing (database init) */
  create?: boolean;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** the URL with its password masked */
  maskedUrl: string;
  /** SQLite file path (null for :memory: and PostgreSQL) */
  sqlitePath: string | null;
  close(): Promise<void>;
}

export async function openDatabase(_opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  throw new Error('not implemented yet');
}
