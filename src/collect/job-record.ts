/**
 * Records jobs: loads what the database knows, plans the changes (job-compare), writes them.
 * Shared by the jobs collector and by `--collect` on the live views.
 */
import type { Kysely } from 'kysely';
import type { Job } from '../pbs/types.js';
import type { Database, LifecycleQuality } from '../store/schema.js';
import { planJobs, type JobPlan, type StoredJob } from './job-compare.js';
import { chunks, num, req } from './num.js';
import { insertBatch, insertBatchReturning } from '../store/batch.js';
import { updateBatch } from '../store/batch-update.js';
import type { RecordCounts, StepTimer } from './types.js';

const SELECT_CHUNK = 500;

export interface RecordJobsOptions {
  now: number;
  complete: boolean;
  lastSighting: number | null;
}

export interface RecordJobsResult extends RecordCounts {
  /** epoch range of the submit / start / end times touched, for the rollups */
  touched: { from: number; to: number } | null;
  plan: JobPlan;
}

type StoredRow = {
  id: number;
  job_id: string;
  state: string;
  substate: number | null;
  queue: string | null;
  owner: string | null;
  project: string | null;
  submit_time: number | null;
  run_count: number | null;
  raw_hash: string | null;
  final_state_recorded: number;
  lifecycle_quality: LifecycleQuality;
  start_time: number | null;
  end_time: number | null;
  last_seen: number;
  end_time_estimated: number;
  last_event_time: number | string | null;
};

function toStored(r: StoredRow): StoredJob {
  return {
    id: req(r.id),
    jobId: r.job_id,
    state: r.state,
    substate: num(r.substate),
    queue: r.queue,
    owner: r.owner,
    project: r.project,
    submitTime: num(r.submit_time),
    runCount: num(r.run_count),
    rawHash: r.raw_hash,
    final: req(r.final_state_recorded) === 1,
    quality: r.lifecycle_quality,
    startTime: num(r.start_time),
    endTime: num(r.end_time),
    lastSeen: req(r.last_seen),
    endTimeEstimated: req(r.end_time_estimated) === 1,
    lastEventTime: num(r.last_event_time),
  };
}

const STORED_COLUMNS = [
  'id',
  'job_id',
  'state',
  'substate',
  'queue',
  'owner',
  'project',
  'submit_time',
  'run_count',
  'raw_hash',
  'final_state_recorded',
  'lifecycle_quality',
  'start_time',
  'end_time',
  'last_seen',
  'end_time_estimated',
] as const;

/** Selects the compare columns and the latest PBS time of the job's transitions. */
function selectStored(db: Kysely<Database>) {
  return db
    .selectFrom('jobs')
    .select(STORED_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('job_history')
        .select((h) => h.fn.max('job_history.event_time').as('m'))
        .whereRef('job_history.job_row_id', '=', 'jobs.id')
        .as('last_event_time'),
    );
}

/** The stored jobs still live (not final, not given up on), keyed by job id. */
export async function loadLiveStored(
  db: Kysely<Database>,
  serverId: number,
): Promise<Map<string, StoredJob>> {
  const rows = await selectStored(db)
    .where('server_id', '=', serverId)
    .where('final_state_recorded', '=', 0)
    .where('lifecycle_quality', '!=', 'final_state_missed')
    .execute();
  return new Map(rows.map((r) => [r.job_id, toStored(r as StoredRow)]));
}

/** Adds the stored rows of `ids` not already in `into`. */
export async function loadStoredByIds(
  db: Kysely<Database>,
  serverId: number,
  ids: string[],
  into: Map<string, StoredJob>,
): Promise<void> {
  const want = ids.filter((id) => !into.has(id));
  for (const part of chunks(want, SELECT_CHUNK)) {
    const rows = await selectStored(db)
      .where('server_id', '=', serverId)
      .where('job_id', 'in', part)
      .execute();
    for (const r of rows) into.set(r.job_id, toStored(r as StoredRow));
  }
}

/**
 * Makes concurrent job writers of one server take turns until commit. SQLite's BEGIN IMMEDIATE
 * already does; on PostgreSQL two writers could otherwise both insert the same new job (unique
 * violation) or both record one transition. A no-op update takes the servers row's lock.
 */
async function serialiseJobWriters(db: Kysely<Database>, serverId: number): Promise<void> {
  await db
    .updateTable('servers')
    .set((eb) => ({ last_seen: eb.ref('last_seen') }))
    .where('id', '=', serverId)
    .execute();
}

/** Compares and writes `jobs`; `stored` must hold every live stored job when opts.complete. */
export async function recordJobs(
  db: Kysely<Database>,
  serverId: number,
  jobs: Job[],
  stored: Map<string, StoredJob>,
  opts: RecordJobsOptions,
  timer: StepTimer,
): Promise<RecordJobsResult> {
  const plan = await timer.time('compare', async () => {
    await serialiseJobWriters(db, serverId);
    // the caller loaded `stored` before its PBS fetch: another writer (the daemon, a view's
    // --collect) may have committed since, so compare with what is stored now, inside this
    // transaction, or its changes would be recorded a second time
    const ids = new Set([...stored.keys(), ...jobs.map((j) => j.jobId)]);
    stored.clear();
    await loadStoredByIds(db, serverId, [...ids], stored);
    return planJobs(jobs, stored, opts);
  });
  await timer.time('write', () => writePlan(db, serverId, plan, stored));
  let from = Infinity;
  let to = -Infinity;
  const touch = (t: unknown) => {
    const n = num(t);
    if (n === null) return;
    from = Math.min(from, n);
    to = Math.max(to, n);
  };
  for (const r of plan.inserts) [r.submit_time, r.start_time, r.end_time].forEach(touch);
  for (const u of plan.updates) {
    [u.set.submit_time, u.set.start_time, u.set.end_time].forEach(touch);
    // the days a moved or cleared time was counted on need their rollups refreshed too, and an
    // unchanged time is left out of the update but its day still counts this job
    const before = stored.get(u.jobId);
    if (before) [before.submitTime, before.startTime, before.endTime].forEach(touch);
  }
  return {
    itemsSeen: jobs.length,
    rowsInserted: plan.inserts.length + plan.transitions.length,
    rowsUpdated: plan.updates.length,
    transitions: plan.transitions.length,
    notes: {
      new_jobs: plan.inserts.length,
      changed_jobs: plan.updates.length - plan.missed,
      unchanged_jobs: plan.unchanged,
      final_state_missed: plan.missed,
    },
    touched: from <= to ? { from, to } : null,
    plan,
  };
}

async function writePlan(
  db: Kysely<Database>,
  serverId: number,
  plan: JobPlan,
  stored: Map<string, StoredJob>,
): Promise<void> {
  const rowIds = new Map<string, number>();
  for (const [id, s] of stored) rowIds.set(id, s.id);
  if (plan.inserts.length > 0) {
    // batch.ts builds the SQL text directly: Kysely's builder costs as much as SQLite per row;
    // the new rows' ids come back from the inserts themselves
    const rows = plan.inserts.map((r) => ({
      ...r,
      server_id: serverId,
      end_time_estimated: 0,
      end_time_min: null,
      end_time_max: null,
    }));
    // every planned insert has jobColumns' shape: its columns are the first row's keys
    const inserted = await insertBatchReturning(db, 'jobs', rows, ['id', 'job_id'], {
      columns: Object.keys(rows[0]!),
    });
    for (const r of inserted) rowIds.set(String(r.job_id), req(r.id));
  }
  await updateBatch(db, 'jobs', plan.updates);
  const history = plan.transitions.map(({ jobId, ...t }) => {
    const rowId = rowIds.get(jobId);
    if (rowId === undefined) throw new Error(`no row for job ${jobId}`);
    return { ...t, server_id: serverId, job_row_id: rowId };
  });
  await insertBatch(db, 'job_history', history, {
    columns: history.length > 0 ? Object.keys(history[0]!) : [],
  });
}
