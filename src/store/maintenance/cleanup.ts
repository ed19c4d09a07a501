/**
 * Retention: removes finished jobs (with their transitions) older than the job cut-off and
 * snapshots older than the snapshot cut-off. Node history keeps the newest keyframe at or before
 * the cut-off and the change rows after it, so node states stay reconstructible from the cut on.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- rules run over several tables */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../schema.js';
import { writeTransaction } from '../transaction.js';

export interface CleanupOptions {
  /** jobs that ended before this instant go (epoch seconds) */
  jobCutoff: number;
  /** snapshots taken before this instant go */
  snapshotCutoff: number;
  /** count only */
  dryRun?: boolean;
}

export type CleanupTable =
  | 'job_history'
  | 'jobs'
  | 'reservation_history'
  | 'reservations'
  | 'node_snapshots'
  | 'node_events'
  | 'queue_snapshots'
  | 'system_snapshots';

export type CleanupCounts = Record<CleanupTable, number>;

/** Per server, the node_snapshots rows before this instant may go (the newest keyframe stays). */
export async function nodeCuts(
  db: Kysely<Database>,
  cutoff: number,
): Promise<Array<[number, number]>> {
  const rows = await db
    .selectFrom('node_snapshots')
    .select(['server_id', (eb) => eb.fn.max('snapshot_time').as('k')])
    .where('is_keyframe', '=', 1)
    .where('snapshot_time', '<=', cutoff)
    .groupBy('server_id')
    .execute();
  // a server with no keyframe before the cut keeps all its rows: they are its only knowledge
  return rows.map((r) => [Number(r.server_id), Number(r.k)]);
}

interface Rule {
  table: CleanupTable;
  where: (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;
}

function rules(db: Kysely<Database>, o: CleanupOptions, cuts: Array<[number, number]>): Rule[] {
  const oldJobs = db.selectFrom('jobs').select('id').where('end_time', '<', o.jobCutoff);
  const oldResv = db
    .selectFrom('reservations')
    .select('id')
    .where('gone', '=', 1)
    .where('end_time', '<', o.jobCutoff);
  const before = (col: string, t: number) => (eb: ExpressionBuilder<any, any>) => eb(col, '<', t);
  return [
    // children first, so nothing relies on ON DELETE CASCADE being enforced
    { table: 'job_history', where: (eb) => eb('job_row_id', 'in', oldJobs) },
    { table: 'jobs', where: before('end_time', o.jobCutoff) },
    { table: 'reservation_history', where: (eb) => eb('reservation_row_id', 'in', oldResv) },
    {
      table: 'reservations',
      where: (eb) => eb.and([eb('gone', '=', 1), eb('end_time', '<', o.jobCutoff)]),
    },
    {
      table: 'node_snapshots',
      where: (eb) =>
        cuts.length === 0
          ? eb.lit(false)
          : eb.or(
              cuts.map(([sid, k]) =>
                eb.and([eb('server_id', '=', sid), eb('snapshot_time', '<', k)]),
              ),
            ),
    },
    { table: 'node_events', where: before('observed_at', o.snapshotCutoff) },
    { table: 'queue_snapshots', where: before('snapshot_time', o.snapshotCutoff) },
    { table: 'system_snapshots', where: before('snapshot_time', o.snapshotCutoff) },
  ];
}

/** Counts (dry run) or deletes what retention removes; returns rows per table. */
export async function cleanupHistory(
  db: Kysely<Database>,
  o: CleanupOptions,
): Promise<CleanupCounts> {
  const run = async (trx: Kysely<Database>): Promise<CleanupCounts> => {
    const any = trx as Kysely<any>;
    const counts = {} as CleanupCounts;
    for (const r of rules(trx, o, await nodeCuts(trx, o.snapshotCutoff))) {
      if (o.dryRun) {
        const row = await any
          .selectFrom(r.table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where(r.where)
          .executeTakeFirstOrThrow();
        counts[r.table] = Number(row.n);
      } else {
        const res = await any.deleteFrom(r.table).where(r.where).executeTakeFirst();
        counts[r.table] = Number(res.numDeletedRows);
      }
    }
    return counts;
  };
  return o.dryRun ? run(db) : writeTransaction(db, run);
}
