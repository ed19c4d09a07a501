/**
 * The stored lifecycle of one job, for `job show`: every recorded transition with the time PBS
 * gives and the time the collector saw it, wait and run times, placement, exit status and the
 * quality flags. Works for jobs PBS has long forgotten.
 */
import type { Kysely } from 'kysely';
import type { Deps } from '../deps.js';
import type { Database } from '../store/schema.js';
import { isoUtc } from '../cli/output/format-values.js';
import { num } from '../collect/num.js';
import { durations, type StoredJobRow } from './history-row.js';

/** Finds the stored job: the exact id, else `id.<server>` for a short id. */
async function findJob(db: Kysely<Database>, jobId: string): Promise<StoredJobRow | null> {
  const exact = await db
    .selectFrom('jobs')
    .selectAll()
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  if (exact) return exact as StoredJobRow;
  if (jobId.includes('.') && !jobId.endsWith('.')) {
    // a longer or shorter server part than PBS keyed: match on the sequence part
    const short = jobId.slice(0, jobId.indexOf('.'));
    const rows = await db
      .selectFrom('jobs')
      .selectAll()
      .where('job_id', 'like', `${short}.%`)
      .limit(2)
      .execute();
    const hit = rows.find((r) => jobId.startsWith(r.job_id) || r.job_id.startsWith(jobId));
    return (hit as StoredJobRow | undefined) ?? null;
  }
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('job_id', 'like', `${jobId}.%`)
    .limit(2)
    .execute();
  return rows.length === 1 ? (rows[0] as StoredJobRow) : null;
}

/** The stored lifecycle of a job as a plain object. */
export async function lifecycleOf(
  db: Kysely<Database>,
  jobId: string,
): Promise<Record<string, unknown> | null> {
  const j = await findJob(db, jobId.trim());
  if (!j) return null;
  const history = await db
    .selectFrom('job_history')
    .selectAll()
    .where('job_row_id', '=', j.id)
    .orderBy('id')
    .execute();
  const d = durations(j);
  const estimated = num(j.end_time_estimated) === 1;
  const notes: string[] = [];
  if (j.lifecycle_quality === 'partial')
    notes.push(
      'first seen after it had started or finished: earlier steps are inferred from PBS times',
    );
  if (j.lifecycle_quality === 'final_state_missed')
    notes.push(`PBS purged it before its end was seen; last known state ${j.state}`);
  if (estimated)
    notes.push(
      `end time is an estimate between ${isoUtc(num(j.end_time_min))} and ${isoUtc(num(j.end_time_max))}`,
    );
  return {
    job_id: j.job_id,
    state: j.state,
    substate: num(j.substate),
    lifecycle_quality: j.lifecycle_quality,
    final_state_recorded: num(j.final_state_recorded) === 1,
    submit_time: isoUtc(num(j.submit_time)),
    queue_time: isoUtc(num(j.queue_time)),
    eligible_time: isoUtc(num(j.eligible_time)),
    start_time: isoUtc(num(j.start_time)),
    end_time: estimated ? null : isoUtc(num(j.end_time)),
    end_time_estimated: estimated,
    end_time_estimate: estimated ? isoUtc(num(j.end_time)) : null,
    end_time_min: estimated ? isoUtc(num(j.end_time_min)) : null,
    end_time_max: estimated ? isoUtc(num(j.end_time_max)) : null,
    wait_time_s: d.wait,
    runtime_s: d.runtime,
    nodes: num(j.nodes),
    exec_hosts: j.exec_hosts ? j.exec_hosts.split('+') : [],
    exit_status: num(j.exit_status),
    run_count: num(j.run_count),
    first_seen: isoUtc(num(j.first_seen)),
    last_seen: isoUtc(num(j.last_seen)),
    transitions: history.map((h) => ({
      from_state: h.from_state,
      from_substate: num(h.from_substate),
      to_state: h.to_state,
      to_substate: num(h.to_substate),
      ...(h.from_queue !== h.to_queue ? { from_queue: h.from_queue, to_queue: h.to_queue } : {}),
      run_count: num(h.run_count),
      pbs_time: isoUtc(num(h.event_time)),
      observed_at: isoUtc(num(h.observed_at)),
      source: h.source,
    })),
    notes,
  };
}

/**
 * Returns the stored lifecycle of `jobId` (transitions with times, wait, runtime, quality flags),
 * or null when the database does not know the job or does not exist.
 */
export async function describeStoredLifecycle(
  jobId: string,
  deps: Deps,
): Promise<Record<string, unknown> | null> {
  let db: Kysely<Database>;
  try {
    db = await deps.db();
  } catch {
    return null; // no database (or not initialised): nothing stored to describe
  }
  return lifecycleOf(db, jobId);
}
