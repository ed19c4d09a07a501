/** A job's state transitions (`job_history`). */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, JobHistoryTable } from '../schema.js';
import { insertBatch } from '../batch.js';

export type JobTransition = Selectable<JobHistoryTable>;

/** Records transitions in multi-row statements; returns how many were written. */
export async function insertTransitions(
  db: Kysely<Database>,
  rows: Insertable<JobHistoryTable>[],
): Promise<number> {
  return insertBatch(db, 'job_history', rows);
}

/** The transitions of one job (by jobs.id), in the order they were observed. */
export async function jobTransitions(
  db: Kysely<Database>,
  jobRowId: number,
): Promise<JobTransition[]> {
  return db
    .selectFrom('job_history')
    .selectAll()
    .where('job_row_id', '=', jobRowId)
    .orderBy('observed_at')
    .orderBy('id')
    .execute();
}
