/**
 * What `export` can write: per source, its table, columns (name, SQL expression over alias `t`,
 * Parquet type), the instant its window filters on, and which filters apply.
 */
import type { AnalysisFilter } from './window.js';

export type ExportKind = 'jobs' | 'transitions' | 'nodes' | 'queues' | 'system';
export const EXPORT_KINDS: ExportKind[] = ['jobs', 'transitions', 'nodes', 'queues', 'system'];
/** num: integer (Int64 in Parquet); real: floating point; text: UTF-8 */
export type ColType = 'num' | 'real' | 'text';

export interface ExportSource {
  table: string;
  /** column → SQL expression over alias `t` (and `j` for transitions) */
  columns: Array<[name: string, expr: string, type: ColType]>;
  /** the instant the window filters on */
  timeCol: string;
  from: string;
  /** which filters (user/project/queue) apply, as column expressions */
  filterCols: Partial<Record<'user' | 'project' | 'queue', string>>;
  /** low-cardinality text columns, dictionary-encoded in Parquet (the others are plain) */
  dictionary: string[];
}

const n = (c: string): [string, string, ColType] => [c, `t.${c}`, 'num'];
const s = (c: string): [string, string, ColType] => [c, `t.${c}`, 'text'];

export const SOURCES: Record<ExportKind, ExportSource> = {
  jobs: {
    table: 'jobs',
    from: 'jobs t',
    timeCol: 't.submit_time',
    filterCols: { user: 't.owner', project: 't.project', queue: 't.queue' },
    dictionary: ['server', 'owner', 'project', 'queue', 'state', 'place', 'lifecycle_quality'],
    columns: [
      n('id'),
      ['server', 'srv.name', 'text'],
      s('job_id'),
      s('name'),
      s('owner'),
      s('project'),
      s('queue'),
      s('state'),
      n('substate'),
      n('is_array_parent'),
      s('array_parent_id'),
      n('array_index'),
      n('nodes'),
      n('ncpus'),
      n('ngpus'),
      n('mem_bytes'),
      n('walltime_requested_s'),
      s('select_text'),
      s('place'),
      n('submit_time'),
      n('queue_time'),
      n('eligible_time'),
      n('start_time'),
      n('end_time'),
      n('end_time_estimated'),
      n('exit_status'),
      n('run_count'),
      s('exec_hosts'),
      n('walltime_used_s'),
      n('cput_used_s'),
      n('mem_used_bytes'),
      s('comment'),
      s('lifecycle_quality'),
      n('first_seen'),
      n('last_seen'),
    ],
  },
  transitions: {
    table: 'job_history',
    from: 'job_history t JOIN jobs j ON j.id = t.job_row_id',
    timeCol: 't.observed_at',
    filterCols: { user: 'j.owner', project: 'j.project', queue: 'j.queue' },
    dictionary: ['server', 'from_state', 'to_state', 'from_queue', 'to_queue', 'source'],
    columns: [
      n('id'),
      ['server', 'srv.name', 'text'],
      ['job_id', 'j.job_id', 'text'],
      s('from_state'),
      s('to_state'),
      n('from_substate'),
      n('to_substate'),
      s('from_queue'),
      s('to_queue'),
      n('run_count'),
      n('event_time'),
      n('observed_at'),
      s('source'),
    ],
  },
  nodes: {
    table: 'node_snapshots',
    from: 'node_snapshots t',
    timeCol: 't.snapshot_time',
    filterCols: { queue: 't.queue' },
    dictionary: ['server', 'node', 'states', 'queue'],
    columns: [
      n('id'),
      ['server', 'srv.name', 'text'],
      n('snapshot_time'),
      s('node'),
      s('states'),
      n('ncpus'),
      n('ncpus_assigned'),
      n('ngpus'),
      n('ngpus_assigned'),
      n('mem_bytes'),
      n('mem_assigned_bytes'),
      s('jobs'),
      s('queue'),
      s('comment'),
      s('resv'),
      n('is_keyframe'),
    ],
  },
  queues: {
    table: 'queue_snapshots',
    from: 'queue_snapshots t',
    timeCol: 't.snapshot_time',
    filterCols: { queue: 't.queue' },
    dictionary: ['server', 'queue', 'queue_type'],
    columns: [
      n('id'),
      ['server', 'srv.name', 'text'],
      n('snapshot_time'),
      s('queue'),
      s('queue_type'),
      n('enabled'),
      n('started'),
      n('total_jobs'),
      n('queued'),
      n('running'),
      n('held'),
      n('waiting'),
      n('exiting'),
      n('transit'),
      n('begun'),
      n('nodes_assigned'),
      n('ncpus_assigned'),
      n('ngpus_assigned'),
      ['queued_node_hours', 't.queued_node_hours', 'real'],
    ],
  },
  system: {
    table: 'system_snapshots',
    from: 'system_snapshots t',
    timeCol: 't.snapshot_time',
    filterCols: {},
    dictionary: ['server'],
    columns: [
      n('id'),
      ['server', 'srv.name', 'text'],
      n('snapshot_time'),
      n('nodes_total'),
      n('nodes_free'),
      n('nodes_busy'),
      n('nodes_down'),
      n('nodes_offline'),
      n('nodes_resv'),
      n('nodes_assigned'),
      n('cores_total'),
      n('cores_assigned'),
      n('gpus_total'),
      n('gpus_assigned'),
      n('jobs_total'),
      n('jobs_queued'),
      n('jobs_running'),
      n('jobs_held'),
      n('jobs_other'),
    ],
  },
};

/** One row's cells in the source's column order (`columns`; the id is always first). */
export type ExportRow = Array<string | number | null>;

/** Filters for an export; the window is optional (all rows when absent). */
export type ExportFilter = Partial<AnalysisFilter>;
