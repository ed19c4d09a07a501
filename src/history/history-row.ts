/**
 * A stored job as a history row: the same field names as `jobToRow` (cli/output/job-row.ts), plus
 * wait_time_s (start − queue time), runtime_s (end − start), lifecycle_quality and
 * end_time_estimated. An estimated end is never given as an exact runtime.
 */
import type { Selectable } from 'kysely';
import type { Job } from '../pbs/types.js';
import type { JobsTable } from '../store/schema.js';
import { isoUtc } from '../cli/output/format-values.js';
import type { ColumnSpec, Row } from '../cli/output/columns.js';
import { JOB_COLUMNS } from '../cli/output/job-row.js';
import { num } from '../collect/num.js';
import { pbsEndTime } from '../collect/job-row.js';

export type StoredJobRow = Selectable<JobsTable>;

/** The wait and run durations of a job (null when a bound is missing or the end is estimated). */
export function durations(r: {
  queue_time: unknown;
  start_time: unknown;
  end_time: unknown;
  end_time_estimated: unknown;
}): { wait: number | null; runtime: number | null } {
  const q = num(r.queue_time);
  const s = num(r.start_time);
  const e = num(r.end_time);
  return {
    wait: q !== null && s !== null ? s - q : null,
    runtime: s !== null && e !== null && num(r.end_time_estimated) !== 1 ? e - s : null,
  };
}

/** Maps a stored job to its history row. */
export function historyRow(r: StoredJobRow): Row {
  const d = durations(r);
  const estimated = num(r.end_time_estimated) === 1;
  return {
    job_id: r.job_id,
    name: r.name,
    owner: r.owner,
    project: r.project,
    queue: r.queue,
    state: r.state,
    substate: num(r.substate),
    nodes: num(r.nodes),
    ncpus: num(r.ncpus),
    ngpus: num(r.ngpus),
    walltime_requested_s: num(r.walltime_requested_s),
    walltime_used_s: num(r.walltime_used_s),
    submit_time: isoUtc(num(r.submit_time)),
    eligible_time: isoUtc(num(r.eligible_time)),
    start_time: isoUtc(num(r.start_time)),
    end_time: isoUtc(num(r.end_time)),
    end_time_estimated: estimated,
    end_time_min: estimated ? isoUtc(num(r.end_time_min)) : null,
    end_time_max: estimated ? isoUtc(num(r.end_time_max)) : null,
    exit_status: num(r.exit_status),
    run_count: num(r.run_count),
    exec_hosts: r.exec_hosts ? r.exec_hosts.split('+') : [],
    comment: r.comment,
    array_parent: r.array_parent_id,
    array_index: num(r.array_index),
    wait_time_s: d.wait,
    runtime_s: d.runtime,
    lifecycle_quality: r.lifecycle_quality,
  };
}

/** A job only live PBS still holds (`--include-pbs-history`), as a history row. */
export function pbsHistoryRow(j: Job): Row {
  const end = pbsEndTime(j);
  return {
    job_id: j.jobId,
    name: j.name,
    owner: j.owner,
    project: j.project,
    queue: j.queue,
    state: j.state,
    substate: j.substate,
    nodes: j.nodeCount,
    ncpus: j.ncpus,
    ngpus: j.ngpus,
    walltime_requested_s: j.walltimeRequested,
    walltime_used_s: j.walltimeUsed,
    submit_time: isoUtc(j.ctime),
    eligible_time: isoUtc(j.etime),
    start_time: isoUtc(j.stime),
    end_time: isoUtc(end),
    end_time_estimated: false,
    end_time_min: null,
    end_time_max: null,
    exit_status: j.exitStatus,
    run_count: j.runCount,
    exec_hosts: j.hosts,
    comment: j.comment,
    array_parent: j.arrayParentId,
    array_index: j.arrayIndex,
    wait_time_s: j.qtime !== null && j.stime !== null ? j.stime - j.qtime : null,
    runtime_s: j.stime !== null && end !== null ? end - j.stime : null,
    lifecycle_quality: 'pbs_only',
  };
}

/** Every column `history` can show (table / CSV); JSON carries every field. */
export const HISTORY_COLUMNS: ColumnSpec[] = [
  ...JOB_COLUMNS.filter((c) => c.key !== 'end_time' && c.key in historyRowKeys()),
  { key: 'end_time', header: 'ENDED', kind: 'text' },
  { key: 'wait_time_s', header: 'WAIT', kind: 'duration' },
  { key: 'runtime_s', header: 'RUNTIME', kind: 'duration' },
  { key: 'lifecycle_quality', header: 'QUALITY', kind: 'text' },
  { key: 'end_time_estimated', header: 'EST', kind: 'bool' },
];

function historyRowKeys(): Record<string, true> {
  const keys = [
    'job_id',
    'name',
    'owner',
    'project',
    'queue',
    'state',
    'substate',
    'nodes',
    'ncpus',
    'ngpus',
    'walltime_requested_s',
    'walltime_used_s',
    'submit_time',
    'eligible_time',
    'start_time',
    'exit_status',
    'run_count',
    'exec_hosts',
    'comment',
    'array_parent',
    'array_index',
  ];
  return Object.fromEntries(keys.map((k) => [k, true]));
}

export const DEFAULT_HISTORY_COLUMNS = [
  'job_id',
  'name',
  'owner',
  'queue',
  'state',
  'nodes',
  'submit_time',
  'start_time',
  'end_time',
  'wait_time_s',
  'runtime_s',
  'exit_status',
];
