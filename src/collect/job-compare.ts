/**
 * Change detection for jobs (pure): what the database last knew versus what PBS shows now →
 * rows to insert, rows to update, transitions to record, jobs that vanished without a final state.
 */
import type { Job } from '../pbs/types.js';
import type { LifecycleQuality, TransitionSource } from '../store/schema.js';
import {
  PRE_RUN_STATES,
  hashJob,
  isFinalState,
  jobColumns,
  pbsEndTime,
  type JobColumns,
} from './job-row.js';

/** What the database knows of a job, as far as comparing needs. */
export interface StoredJob {
  id: number;
  jobId: string;
  state: string;
  substate: number | null;
  queue: string | null;
  /** the indexed columns an update leaves out when unchanged (optional: unknown → written) */
  owner?: string | null;
  project?: string | null;
  submitTime?: number | null;
  runCount: number | null;
  rawHash: string | null;
  final: boolean;
  quality: LifecycleQuality;
  startTime: number | null;
  /** stored end (null while live; an estimate when final_state_missed) */
  endTime?: number | null;
  lastSeen: number;
  endTimeEstimated: boolean;
  /** latest PBS time of the job's recorded transitions (null: none dated) */
  lastEventTime?: number | null;
}

export interface PlannedTransition {
  jobId: string;
  from_state: string | null;
  from_substate: number | null;
  to_state: string;
  to_substate: number | null;
  from_queue: string | null;
  to_queue: string | null;
  run_count: number | null;
  event_time: number | null;
  observed_at: number;
  source: TransitionSource;
}

export interface JobInsert extends JobColumns {
  first_seen: number;
  lifecycle_quality: LifecycleQuality;
}

export interface JobPlan {
  inserts: JobInsert[];
  updates: Array<{ id: number; jobId: string; set: Record<string, unknown> }>;
  transitions: PlannedTransition[];
  /** stored jobs that vanished without a final state */
  missed: number;
  unchanged: number;
}

export interface PlanOptions {
  now: number;
  /** the fetch covered every stored live job: absent ones vanished (else only what was shown is compared) */
  complete: boolean;
  /** last time every live job was seen (the previous successful run): bounds a missed end */
  lastSighting: number | null;
}

/**
 * The jobs table's indexed columns and where the stored job holds their value. Writing one costs
 * an index update even when the value is the same (SQLite does not compare: a rewrite of every
 * column took twice as long as one of the changed ones), and a running job's update every tick
 * changes none of them.
 */
const INDEXED_COLUMNS: ReadonlyArray<readonly [string, (p: StoredJob) => unknown]> = [
  ['owner', (p) => p.owner],
  ['project', (p) => p.project],
  ['queue', (p) => p.queue],
  ['state', (p) => p.state],
  ['submit_time', (p) => p.submitTime],
  ['start_time', (p) => p.startTime],
  ['end_time', (p) => p.endTime],
];

/**
 * Leaves out of an update's `set` the indexed columns whose stored value it repeats: set to
 * undefined, which the batch update skips (a `delete` would turn each row object into a slow
 * dictionary-mode object for the writer that reads all of them).
 */
export function dropUnchangedIndexed(set: Record<string, unknown>, prev: StoredJob): void {
  for (const [col, stored] of INDEXED_COLUMNS) {
    const was = stored(prev);
    if (was !== undefined && set[col] === was) set[col] = undefined;
  }
}

/** Compares `jobs` with `stored` (keyed by job id). */
export function planJobs(jobs: Job[], stored: Map<string, StoredJob>, opts: PlanOptions): JobPlan {
  const plan: JobPlan = {
    inserts: [],
    updates: [],
    transitions: [],
    missed: 0,
    unchanged: 0,
  };
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.jobId)) continue; // a job listed twice (live and -x) counts once
    seen.add(job.jobId);
    const prev = stored.get(job.jobId) ?? null;
    // another writer (the daemon, a view's --collect) committed a newer observation of this job
    // while ours was in flight: ours is stale, and applying it would record a step back in time
    if (prev && prev.lastSeen > opts.now) {
      plan.unchanged++;
      continue;
    }
    const hash = hashJob(job.raw);
    if (prev && prev.rawHash === hash && prev.quality !== 'final_state_missed') {
      plan.unchanged++;
      continue;
    }
    const cols = jobColumns(job, opts.now, hash);
    plan.transitions.push(...transitionsFor(prev, job, opts.now));
    if (!prev) {
      plan.inserts.push({
        ...cols,
        first_seen: opts.now,
        lifecycle_quality: PRE_RUN_STATES.has(job.state) ? 'complete' : 'partial',
      });
      continue;
    }
    // job_id is the key, not written (updateBatch skips undefined values)
    const set: Record<string, unknown> = { ...cols, job_id: undefined };
    if (prev.quality === 'final_state_missed') set.lifecycle_quality = 'partial';
    if (prev.endTimeEstimated && cols.end_time !== null) {
      set.end_time_estimated = 0;
      set.end_time_min = null;
      set.end_time_max = null;
    }
    dropUnchangedIndexed(set, prev);
    plan.updates.push({ id: prev.id, jobId: job.jobId, set });
  }
  if (opts.complete) {
    for (const prev of stored.values()) {
      if (prev.final || prev.quality === 'final_state_missed' || seen.has(prev.jobId)) continue;
      plan.missed++;
      // PBS purged it before we saw its end: the end lies between the last sighting and now
      const lastSeen = Math.max(prev.lastSeen, opts.lastSighting ?? prev.lastSeen);
      const min = Math.max(lastSeen, prev.startTime ?? lastSeen);
      const max = Math.max(min, opts.now);
      plan.updates.push({
        id: prev.id,
        jobId: prev.jobId,
        set: {
          lifecycle_quality: 'final_state_missed',
          last_seen: lastSeen,
          end_time: Math.floor((min + max) / 2),
          end_time_estimated: 1,
          end_time_min: min,
          end_time_max: max,
        },
      });
    }
  }
  return plan;
}

/** When PBS says a job entered `state` (null when PBS does not say). */
function eventTimeOf(job: Job, state: string, prevState: string | null): number | null {
  switch (state) {
    case 'Q':
      // a requeue (qrerun) shows only as run_count going up: PBS prints no time for it, and
      // etime / qtime still date the original queueing
      if (prevState !== null && 'RESU'.includes(prevState)) return null;
      // etime: when the job last became eligible (submit, release from hold, move)
      return job.etime ?? job.qtime;
    case 'R':
    case 'B':
      return job.stime;
    case 'X':
      return job.obittime ?? job.historyTimestamp;
    case 'F':
      // a subjob turns F when its array ends (its mtime then); its own end was the X
      if (job.arrayParentId !== null && (prevState === 'X' || job.obittime !== null))
        return job.mtime ?? job.historyTimestamp;
      return pbsEndTime(job);
    case 'M':
      return job.historyTimestamp ?? pbsEndTime(job);
    default:
      return null;
  }
}

/** The transitions between `prev` and `job`, including the ones polling missed but PBS dates. */
export function transitionsFor(prev: StoredJob | null, job: Job, now: number): PlannedTransition[] {
  const out: PlannedTransition[] = [];
  let cur = prev
    ? { state: prev.state, substate: prev.substate, queue: prev.queue }
    : (null as { state: string; substate: number | null; queue: string | null } | null);
  // PBS times that predate an earlier transition of the job date something else (a stale etime,
  // an old stime): a transition is never stored dated before the one it follows
  let floor = prev?.lastEventTime ?? null;
  const push = (
    state: string,
    substate: number | null,
    when: number | null,
    source: TransitionSource,
  ) => {
    const at = when !== null && floor !== null && when < floor ? null : when;
    if (at !== null) floor = at;
    out.push({
      jobId: job.jobId,
      from_state: cur?.state ?? null,
      from_substate: cur?.substate ?? null,
      to_state: state,
      to_substate: substate,
      from_queue: cur?.queue ?? null,
      to_queue: job.queue,
      run_count: job.runCount,
      event_time: at,
      observed_at: now,
      source,
    });
    cur = { state, substate, queue: job.queue };
  };
  const observedSource: TransitionSource = isFinalState(job.state) ? 'qstat-x' : 'qstat';
  const runIncreased =
    prev !== null && (job.runCount ?? 0) > (prev.runCount ?? 0) && job.runCount !== null;
  const runState = job.isArrayParent ? 'B' : 'R';
  // first seen past the queue: it was queued (eligible) at etime; a job first seen held or
  // waiting may never have been Q, so nothing is inferred for it
  if (
    !prev &&
    job.stime !== null &&
    !PRE_RUN_STATES.has(job.state) &&
    (job.etime ?? job.qtime) !== null
  )
    push('Q', null, job.etime ?? job.qtime, 'inferred');
  // a run the polls did not see: PBS still dates it with stime
  const ran = job.stime !== null && !PRE_RUN_STATES.has(job.state) && job.state !== runState;
  if (
    ran &&
    (cur === null || PRE_RUN_STATES.has(cur.state) || (runIncreased && cur.state !== runState))
  )
    push(runState, null, job.stime, 'inferred');
  // a subjob seen F (its array ended) without its X: PBS dates the X with its obittime
  if (
    job.arrayParentId !== null &&
    job.state === 'F' &&
    job.obittime !== null &&
    cur?.state !== 'X'
  )
    push('X', null, job.obittime, 'inferred');
  const changed =
    cur === null ||
    cur.state !== job.state ||
    cur.substate !== job.substate ||
    cur.queue !== job.queue ||
    (runIncreased && job.state === runState);
  if (changed)
    push(job.state, job.substate, eventTimeOf(job, job.state, cur?.state ?? null), observedSource);
  return out;
}
