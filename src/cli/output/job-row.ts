/**
 * The one job → row mapping (documented snake_case fields), shared by `jobs`, `job show` and the
 * history views so a field means the same thing everywhere.
 */
import type { Job } from '../../pbs/types.js';
import type { ColumnSpec, Row } from './columns.js';
import { isoUtc } from './format-values.js';

export interface JobRow extends Row {
  job_id: string;
  name: string | null;
  owner: string | null;
  project: string | null;
  queue: string | null;
  state: string;
  substate: number | null;
  nodes: number | null;
  ncpus: number | null;
  ngpus: number | null;
  mem_requested_bytes: number | null;
  walltime_requested_s: number | null;
  walltime_used_s: number | null;
  cput_used_s: number | null;
  mem_used_bytes: number | null;
  submit_time: string | null;
  eligible_time: string | null;
  start_time: string | null;
  end_time: string | null;
  exit_status: number | null;
  run_count: number | null;
  priority: number | null;
  exec_hosts: string[];
  select: string | null;
  place: string | null;
  depend: string | null;
  comment: string | null;
  is_array_parent: boolean;
  array_parent: string | null;
  array_index: number | null;
}

/** Maps a parsed job to its row. Times are ISO-8601 UTC or null; exit status 0 stays 0. */
export function jobToRow(job: Job): JobRow {
  return {
    job_id: job.jobId,
    name: job.name,
    owner: job.owner,
    project: job.project,
    queue: job.queue,
    state: job.state,
    substate: job.substate,
    nodes: job.nodeCount,
    ncpus: job.ncpus,
    ngpus: job.ngpus,
    mem_requested_bytes: job.memBytes,
    walltime_requested_s: job.walltimeRequested,
    walltime_used_s: job.walltimeUsed,
    cput_used_s: job.cputUsed,
    mem_used_bytes: job.memUsedBytes,
    // ctime is when qsub created the job; qtime moves when the job changes queue
    submit_time: isoUtc(job.ctime ?? job.qtime),
    eligible_time: isoUtc(job.etime),
    start_time: isoUtc(job.stime),
    end_time: isoUtc(job.obittime),
    exit_status: job.exitStatus,
    run_count: job.runCount,
    priority: job.priority,
    exec_hosts: job.hosts,
    select: job.selectText,
    place: job.place,
    depend: job.depend,
    comment: job.comment,
    is_array_parent: job.isArrayParent,
    array_parent: job.arrayParentId,
    array_index: job.arrayIndex,
  };
}

/** Every column a job table or CSV may show. */
export const JOB_COLUMNS: ColumnSpec[] = [
  { key: 'job_id', header: 'JOB ID', kind: 'text', flex: true },
  { key: 'name', header: 'NAME', kind: 'text', flex: true },
  { key: 'owner', header: 'OWNER', kind: 'text', flex: true },
  { key: 'project', header: 'PROJECT', kind: 'text', flex: true },
  { key: 'queue', header: 'QUEUE', kind: 'text', flex: true },
  { key: 'state', header: 'S', kind: 'state' },
  { key: 'substate', header: 'SUB', kind: 'int' },
  { key: 'nodes', header: 'NODES', kind: 'int' },
  { key: 'ncpus', header: 'NCPUS', kind: 'int' },
  { key: 'ngpus', header: 'NGPUS', kind: 'int' },
  { key: 'mem_requested_bytes', header: 'MEM', kind: 'size' },
  { key: 'walltime_requested_s', header: 'WALLTIME', kind: 'duration' },
  { key: 'walltime_used_s', header: 'ELAPSED', kind: 'duration' },
  { key: 'cput_used_s', header: 'CPUT', kind: 'duration' },
  { key: 'mem_used_bytes', header: 'MEM USED', kind: 'size' },
  { key: 'submit_time', header: 'SUBMITTED', kind: 'time' },
  { key: 'eligible_time', header: 'ELIGIBLE', kind: 'time' },
  { key: 'start_time', header: 'STARTED', kind: 'time' },
  { key: 'end_time', header: 'ENDED', kind: 'time' },
  { key: 'exit_status', header: 'EXIT', kind: 'int' },
  { key: 'run_count', header: 'RUNS', kind: 'int' },
  { key: 'priority', header: 'PRIO', kind: 'int' },
  { key: 'exec_hosts', header: 'HOSTS', kind: 'list', flex: true },
  { key: 'select', header: 'SELECT', kind: 'text', flex: true },
  { key: 'place', header: 'PLACE', kind: 'text', flex: true },
  { key: 'depend', header: 'DEPEND', kind: 'text', flex: true },
  { key: 'comment', header: 'COMMENT', kind: 'text', flex: true },
  { key: 'array_parent', header: 'ARRAY', kind: 'text', flex: true },
  { key: 'array_index', header: 'INDEX', kind: 'int' },
];

export const DEFAULT_JOB_COLUMNS = [
  'job_id',
  'name',
  'owner',
  'project',
  'queue',
  'state',
  'nodes',
  'ncpus',
  'walltime_requested_s',
  'walltime_used_s',
  'submit_time',
];

/** Short names accepted by --columns / --sort, and the Python pbs_monitor's column names. */
export const JOB_COLUMN_ALIASES: Record<string, string> = {
  id: 'job_id',
  jobid: 'job_id',
  user: 'owner',
  account: 'project',
  allocation: 'project',
  walltime: 'walltime_requested_s',
  elapsed: 'walltime_used_s',
  used: 'walltime_used_s',
  submit: 'submit_time',
  submitted: 'submit_time',
  queue_time: 'submit_time',
  start: 'start_time',
  end: 'end_time',
  exit: 'exit_status',
  hosts: 'exec_hosts',
  mem: 'mem_requested_bytes',
  gpus: 'ngpus',
  cpus: 'ncpus',
};
