/** The `history` query over stored jobs: filters, an allow-listed sort and a limit, in SQL. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { StoredJobRow } from './history-row.js';

export const SORT_KEYS = [
  'job_id',
  'name',
  'owner',
  'queue',
  'submit_time',
  'start_time',
  'end_time',
  'wait_time',
  'runtime',
  'nodes',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface HistoryQuery {
  user?: string;
  project?: string;
  queue?: string;
  /** epoch seconds, inclusive: on the job's end (or, without one, its last sighting) */
  since?: number;
  until?: number;
  /** `completed` (final or given up on), `all`, or a list of state letters */
  states: 'completed' | 'all' | string[];
  exitStatus?: number;
  sort: SortKey | null;
  reverse: boolean;
  /** 0 = all */
  limit: number;
}

const endOf = sql<number>`coalesce(end_time, history_timestamp, last_seen)`;

function sortExpr(key: SortKey) {
  switch (key) {
    case 'job_id':
      return sql`seq`;
    case 'wait_time':
      return sql`(start_time - queue_time)`;
    case 'runtime':
      return sql`(end_time - start_time)`;
    default:
      return sql.ref(key);
  }
}

/** Runs the query; rows in the asked order (default: latest end first). */
export async function queryHistory(db: Kysely<Database>, q: HistoryQuery): Promise<StoredJobRow[]> {
  let query = db.selectFrom('jobs').selectAll();
  if (q.user) query = query.where('owner', '=', q.user);
  if (q.project) query = query.where('project', '=', q.project);
  if (q.queue) query = query.where('queue', '=', q.queue);
  if (q.exitStatus !== undefined) query = query.where('exit_status', '=', q.exitStatus);
  if (q.states === 'completed')
    query = query.where((eb) =>
      eb.or([
        eb('final_state_recorded', '=', 1),
        eb('lifecycle_quality', '=', 'final_state_missed'),
      ]),
    );
  else if (q.states !== 'all') query = query.where('state', 'in', q.states);
  if (q.since !== undefined) query = query.where(endOf, '>=', q.since);
  if (q.until !== undefined) query = query.where(endOf, '<=', q.until);
  // default: newest end first; an explicit --sort is ascending; --reverse flips either
  const desc = q.sort === null ? !q.reverse : q.reverse;
  const dir = desc ? sql`desc` : sql`asc`;
  const key = q.sort === null ? endOf : sortExpr(q.sort);
  // nulls last in both dialects, then a stable tie-break on the id
  query = query
    .orderBy(sql`case when ${key} is null then 1 else 0 end`)
    .orderBy(sql`${key} ${dir}`)
    .orderBy(sql`seq ${dir}`)
    // an array parent (no index) before its subjobs, subjobs by index
    .orderBy(sql`coalesce(array_index, -1) ${dir}`)
    .orderBy(sql`job_id ${dir}`);
  if (q.limit > 0) query = query.limit(q.limit);
  return (await query.execute()) as StoredJobRow[];
}
