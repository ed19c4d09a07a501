/** The `jobs` table: batch upserts, look-ups by id, and the history query with its filters. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { UsageError } from '../../cli/errors.js';
import type { Database, JobsTable } from '../schema.js';
import { upsertBatch, type UpsertResult } from '../batch.js';

export type JobRow = Selectable<JobsTable>;

/** Every column a newer observation replaces (the key and first_seen stay). */
export const JOB_UPDATE_COLUMNS = [
  'seq', 'name', 'owner', 'project', 'queue', 'state', 'substate', 'is_array_parent',
  'array_parent_id', 'array_index', 'nodes', 'ncpus', 'ngpus', 'mem_bytes', 'walltime_requested_s',
  'select_text', 'place', 'submit_time', 'queue_time', 'eligible_time', 'start_time', 'end_time',
  'end_time_estimated', 'end_time_min', 'end_time_max', 'last_modified', 'history_timestamp',
  'exit_status', 'run_count', 'exec_hosts', 'walltime_used_s', 'cput_used_s', 'mem_used_bytes',
  'comment', 'final_state_recorded', 'lifecycle_quality', 'last_seen', 'raw_attrs', 'raw_hash',
] as const satisfies readonly (keyof JobsTable)[]; // prettier-ignore

/** Inserts new jobs and rewrites known ones (key: server_id + job_id). */
export async function upsertJobs(
  db: Kysely<Database>,
  rows: Insertable<JobsTable>[],
  updateColumns: readonly string[] = JOB_UPDATE_COLUMNS,
): Promise<UpsertResult> {
  return upsertBatch(db, 'jobs', rows, ['server_id', 'job_id'], [...updateColumns]);
}

const IN_CHUNK = 500;

/** The stored rows of these PBS job ids (optionally of one server). */
export async function findJobsByIds(
  db: Kysely<Database>,
  jobIds: readonly string[],
  serverId?: number,
): Promise<JobRow[]> {
  const out: JobRow[] = [];
  for (let i = 0; i < jobIds.length; i += IN_CHUNK) {
    let q = db
      .selectFrom('jobs')
      .selectAll()
      .where('job_id', 'in', jobIds.slice(i, i + IN_CHUNK));
    if (serverId !== undefined) q = q.where('server_id', '=', serverId);
    out.push(...(await q.execute()));
  }
  return out;
}

/** Columns the history may be sorted by (user input never reaches SQL otherwise). */
export const JOB_SORT_COLUMNS = {
  job_id: 'seq',
  submit_time: 'submit_time',
  start_time: 'start_time',
  end_time: 'end_time',
  owner: 'owner',
  project: 'project',
  queue: 'queue',
  state: 'state',
  exit_status: 'exit_status',
  nodes: 'nodes',
  ncpus: 'ncpus',
  walltime_used_s: 'walltime_used_s',
  walltime_requested_s: 'walltime_requested_s',
} as const;
export type JobSortKey = keyof typeof JOB_SORT_COLUMNS;

const TIME_COLUMNS = ['submit_time', 'start_time', 'end_time'] as const;

export interface JobHistoryFilter {
  serverId?: number;
  user?: string;
  project?: string;
  queue?: string;
  /** one state or several */
  state?: string | readonly string[];
  /** an exact exit status, or 'failed' (non-zero) / 'ok' (zero) */
  exitStatus?: number | 'failed' | 'ok';
  /** window on `timeColumn`, epoch seconds, inclusive */
  since?: number;
  until?: number;
  /** the instant the window applies to (default end_time) */
  timeColumn?: (typeof TIME_COLUMNS)[number];
  sort?: string;
  descending?: boolean;
  limit?: number;
}

/** Jobs matching the filters, sorted by an allow-listed column (ties by job sequence). */
export async function queryJobs(db: Kysely<Database>, f: JobHistoryFilter = {}): Promise<JobRow[]> {
  const timeColumn = f.timeColumn ?? 'end_time';
  if (!TIME_COLUMNS.includes(timeColumn)) {
    throw new UsageError(`cannot filter by ${String(timeColumn)}: use ${TIME_COLUMNS.join(', ')}`);
  }
  const sortKey = f.sort ?? 'end_time';
  if (!Object.hasOwn(JOB_SORT_COLUMNS, sortKey)) {
    throw new UsageError(
      `cannot sort by '${sortKey}': use one of ${Object.keys(JOB_SORT_COLUMNS).join(', ')}`,
    );
  }
  const sortCol = JOB_SORT_COLUMNS[sortKey as JobSortKey];
  const dir = f.descending ? 'desc' : 'asc';
  let q = db.selectFrom('jobs').selectAll();
  if (f.serverId !== undefined) q = q.where('server_id', '=', f.serverId);
  if (f.user !== undefined) q = q.where('owner', '=', f.user);
  if (f.project !== undefined) q = q.where('project', '=', f.project);
  if (f.queue !== undefined) q = q.where('queue', '=', f.queue);
  if (typeof f.state === 'string') q = q.where('state', '=', f.state);
  else if (f.state && f.state.length > 0) q = q.where('state', 'in', [...f.state]);
  if (f.exitStatus === 'failed') q = q.where('exit_status', '!=', 0);
  else if (f.exitStatus === 'ok') q = q.where('exit_status', '=', 0);
  else if (typeof f.exitStatus === 'number') q = q.where('exit_status', '=', f.exitStatus);
  if (f.since !== undefined) q = q.where(timeColumn, '>=', f.since);
  if (f.until !== undefined) q = q.where(timeColumn, '<=', f.until);
  // nulls sort first in SQLite and last in PostgreSQL: make it the same (last) in both
  q = q
    .orderBy((eb) => eb.case().when(sortCol, 'is', null).then(1).else(0).end())
    .orderBy(sortCol, dir);
  q = q.orderBy('seq', dir).orderBy('id', dir);
  if (f.limit !== undefined) q = q.limit(f.limit);
  return q.execute();
}
