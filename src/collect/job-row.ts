/** Maps a parsed Job to the columns of the `jobs` table, and the hash used to skip unchanged jobs. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Insertable } from 'kysely';
import type { Job, RawAttributes } from '../pbs/types.js';
import type { JobsTable } from '../store/schema.js';

/** States before a job first runs: a job first seen in one has a complete lifecycle. */
export const PRE_RUN_STATES = new Set(['Q', 'H', 'W', 'T']);

/** F (finished) and M (moved) end a job; X (expired) ends a subjob. */
export function isFinalState(state: string): boolean {
  return state === 'F' || state === 'M' || state === 'X';
}

// attributes that change on every poll of a running or queued job without changing what we
// record: hashing them would rewrite every running job every run
const VOLATILE = new Set([
  'resources_used',
  'mtime',
  'estimated',
  'queue_rank',
  'Job_Owner_ts',
  'session_id',
  'eligible_time',
  'accrue_type',
  'cpupercent',
]);

function volatileKey(k: string): boolean {
  return VOLATILE.has(k) || k.startsWith('resources_used.') || k.startsWith('estimated.');
}

/**
 * Hash of the attributes that matter (resources_used, mtime, estimates excluded): one compact
 * string, one md5 (a single native call costs far less than a sha1 update per attribute).
 */
export function hashJob(raw: RawAttributes): string {
  let s = '';
  for (const k in raw) {
    if (volatileKey(k)) continue;
    const v = raw[k];
    s +=
      k +
      '\u0000' +
      (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)) +
      '\u0001';
  }
  return createHash('md5').update(s).digest('base64').slice(0, 22);
}

/**
 * gzip of the JSON of the raw attributes. This runs for every written job (11,000 on a first run
 * at Aurora scale), where zlib's per-call setup costs as much as compressing a few KB: level 1
 * with a small window and hash table (8 KB / 4 KB, not 32 KB / 128 KB) is about 15 % cheaper for
 * the same size, since a job's JSON is a few KB. Still gzip: readers need nothing new.
 */
const GZIP_OPTIONS = { level: 1, windowBits: 13, memLevel: 4 } as const;

export function packRawAttrs(raw: RawAttributes): Uint8Array {
  return gzipSync(JSON.stringify(raw), GZIP_OPTIONS);
}

/** Numeric sequence part of a job id (`123[4].server` → 123). */
export function jobSeq(jobId: string): number {
  const m = /^(\d+)/.exec(jobId);
  return m ? Number(m[1]) : 0;
}

/** When PBS says the job ended: obittime, else history_timestamp once it is final. */
export function pbsEndTime(job: Job): number | null {
  if (job.obittime !== null) return job.obittime;
  if (isFinalState(job.state)) return job.historyTimestamp;
  return null;
}

export type JobColumns = Omit<
  Insertable<JobsTable>,
  | 'id'
  | 'server_id'
  | 'first_seen'
  | 'lifecycle_quality'
  | 'end_time_estimated'
  | 'end_time_min'
  | 'end_time_max'
>;

/** The columns that follow from the job itself (identity, times, resources, state). */
export function jobColumns(job: Job, now: number, hash: string): JobColumns {
  return {
    job_id: job.jobId,
    seq: jobSeq(job.shortId || job.jobId),
    name: job.name,
    owner: job.owner,
    project: job.project,
    queue: job.queue,
    state: job.state,
    substate: job.substate,
    is_array_parent: job.isArrayParent ? 1 : 0,
    array_parent_id: job.arrayParentId,
    array_index: job.arrayIndex,
    nodes: job.nodeCount,
    ncpus: job.ncpus,
    ngpus: job.ngpus,
    mem_bytes: job.memBytes,
    walltime_requested_s: job.walltimeRequested,
    select_text: job.selectText,
    place: job.place,
    submit_time: job.ctime,
    queue_time: job.qtime,
    eligible_time: job.etime,
    start_time: job.stime,
    end_time: pbsEndTime(job),
    last_modified: job.mtime,
    history_timestamp: job.historyTimestamp,
    exit_status: job.exitStatus,
    run_count: job.runCount,
    exec_hosts: job.hosts.length > 0 ? job.hosts.join('+') : null,
    walltime_used_s: job.walltimeUsed,
    cput_used_s: job.cputUsed,
    mem_used_bytes: job.memUsedBytes,
    comment: job.comment,
    final_state_recorded: isFinalState(job.state) ? 1 : 0,
    last_seen: now,
    raw_attrs: packRawAttrs(job.raw),
    raw_hash: hash,
  };
}
