/**
 * Live jobs by server: each jobs collection loads the server's stored jobs that are not final. With
 * only the unique (server_id, job_id) index that read every job the server ever had — a full scan
 * of a year of history on every tick. A partial index holds just the live rows, so the read (and
 * the queued-work sum of the queue collector, by state) costs what is live, and a final job leaves
 * it. It replaces the index on state alone: with a handful of values, mostly F, it served little
 * else, and every job write paid for it.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_state_idx').execute();
  await db.schema
    .createIndex('jobs_live_idx')
    .on('jobs')
    .columns(['server_id', 'state'])
    .where(sql<boolean>`final_state_recorded = 0`)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_live_idx').execute();
  await db.schema.createIndex('jobs_state_idx').on('jobs').columns(['state']).execute();
}
