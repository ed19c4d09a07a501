/** The tables this program owns, parents first (drop in reverse). */
export const OWN_TABLES = [
  'servers',
  'jobs',
  'job_history',
  'node_snapshots',
  'node_events',
  'queue_snapshots',
  'system_snapshots',
  'reservations',
  'reservation_history',
  'data_collection_log',
  'collector_state',
  'job_daily_rollups',
] as const;

export type OwnTable = (typeof OWN_TABLES)[number];

/** Kysely's migration bookkeeping tables. */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'] as const;
