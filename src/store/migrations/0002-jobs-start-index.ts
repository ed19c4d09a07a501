/**
 * Jobs by start time: wait-time analyses, jobs started per day and the collector's daily rollup
 * refresh select jobs that started in a window; without this index they scan every job.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_start_idx').on('jobs').columns(['start_time']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_start_idx').execute();
}
