/**
 * The history store's schema, as Kysely sees it. One schema for SQLite and PostgreSQL:
 * instants are UTC epoch seconds (integers), booleans are 0/1, JSON is text, blobs are bytes.
 * Migrations in `store/migrations/` create exactly these tables.
 */
import type { Generated } from 'kysely';

/** 0 or 1: booleans are integers in both dialects. */
export type Flag = number;

export type LifecycleQuality = 'complete' | 'partial' | 'final_state_missed';
export type TransitionSource = 'qstat' | 'qstat-x' | 'inferred';
export type CollectionStatus = 'ok' | 'partial' | 'failed';

export interface ServersTable {
  id: Generated<number>;
  name: string;
  version: string | null;
  history_duration_s: number | null;
  first_seen: number;
  last_seen: number;
}

export interface JobsTable {
  id: Generated<number>;
  server_id: number;
  /** full PBS id, unique per server */
  job_id: string;
  /** numeric sequence part, for ordering */
  seq: number;
  name: string | null;
  owner: string | null;
  project: string | null;
  queue: string | null;
  state: string;
  substate: number | null;
  is_array_parent: Flag;
  array_parent_id: string | null;
  array_index: number | null;
  nodes: number | null;
  ncpus: number | null;
  ngpus: number | null;
  mem_bytes: number | null;
  walltime_requested_s: number | null;
  select_text: string | null;
  place: string | null;
  /** ctime */
  submit_time: number | null;
  /** qtime */
  queue_time: number | null;
  /** etime (resets on hold/release and moves) */
  eligible_time: number | null;
  /** stime */
  start_time: number | null;
  /** obittime, else history_timestamp; null while unknown */
  end_time: number | null;
  /** 1 when end_time is an estimate; then end_time_min / end_time_max bound it */
  end_time_estimated: Flag;
  end_time_min: number | null;
  end_time_max: number | null;
  /** mtime */
  last_modified: number | null;
  history_timestamp: number | null;
  exit_status: number | null;
  run_count: number | null;
  /** compact host list: `x1000c0s0b0n0+x1000c0s0b0n1` */
  exec_hosts: string | null;
  walltime_used_s: number | null;
  cput_used_s: number | null;
  mem_used_bytes: number | null;
  comment: string | null;
  final_state_recorded: Flag;
  lifecycle_quality: LifecycleQuality;
  first_seen: number;
  last_seen: number;
  /** gzip of the JSON of the job's last raw attribute map */
  raw_attrs: Uint8Array | null;
  /** hash of the raw attributes that matter, to skip rewrites of unchanged jobs */
  raw_hash: string | null;
}

export interface JobHistoryTable {
  id: Generated<number>;
  server_id: number;
  /** jobs.id */
  job_row_id: number;
  from_state: string | null;
  from_substate: number | null;
  to_state: string;
  to_substate: number | null;
  from_queue: string | null;
  to_queue: string | null;
  run_count: number | null;
  /** when PBS says it happened (stime, obittime, qtime …); null when PBS does not say */
  event_time: number | null;
  /** when the collector saw it */
  observed_at: number;
  source: TransitionSource;
}

export interface NodeSnapshotsTable {
  id: Generated<number>;
  server_id: number;
  snapshot_time: number;
  node: string;
  /** sorted comma list */
  states: string;
  ncpus: number | null;
  ncpus_assigned: number | null;
  ngpus: number | null;
  ngpus_assigned: number | null;
  mem_bytes: number | null;
  mem_assigned_bytes: number | null;
  /** distinct job ids, comma separated */
  jobs: string | null;
  queue: string | null;
  comment: string | null;
  resv: string | null;
  /** 1 for the daily full keyframe, 0 for a change row */
  is_keyframe: Flag;
}

/** A node's state change, with the comment admins wrote: the downtime history. */
export interface NodeEventsTable {
  id: Generated<number>;
  server_id: number;
  node: string;
  from_states: string | null;
  to_states: string;
  comment: string | null;
  /** last_state_change_time from PBS, when present */
  event_time: number | null;
  observed_at: number;
}

export interface QueueSnapshotsTable {
  id: Generated<number>;
  server_id: number;
  snapshot_time: number;
  queue: string;
  queue_type: string | null;
  enabled: Flag | null;
  started: Flag | null;
  total_jobs: number;
  queued: number;
  running: number;
  held: number;
  waiting: number;
  exiting: number;
  transit: number;
  begun: number;
  nodes_assigned: number | null;
  ncpus_assigned: number | null;
  ngpus_assigned: number | null;
  /** requested node-hours of the queued jobs in this queue */
  queued_node_hours: number | null;
}

export interface SystemSnapshotsTable {
  id: Generated<number>;
  server_id: number;
  snapshot_time: number;
  nodes_total: number;
  nodes_free: number;
  nodes_busy: number;
  nodes_down: number;
  nodes_offline: number;
  nodes_resv: number;
  nodes_assigned: number;
  cores_total: number;
  cores_assigned: number;
  gpus_total: number;
  gpus_assigned: number;
  jobs_total: number;
  jobs_queued: number;
  jobs_running: number;
  jobs_held: number;
  jobs_other: number;
}

export interface ReservationsTable {
  id: Generated<number>;
  server_id: number;
  resv_id: string;
  name: string | null;
  owner: string | null;
  state: string | null;
  queue: string | null;
  start_time: number | null;
  end_time: number | null;
  duration_s: number | null;
  node_count: number | null;
  nodes: string | null;
  select_text: string | null;
  rrule: string | null;
  first_seen: number;
  last_seen: number;
  /** 1 once it vanished from pbs_rstat */
  gone: Flag;
}

export interface ReservationHistoryTable {
  id: Generated<number>;
  server_id: number;
  reservation_row_id: number;
  from_state: string | null;
  to_state: string;
  observed_at: number;
}

export interface DataCollectionLogTable {
  id: Generated<number>;
  server_id: number | null;
  /** jobs | nodes | queues | system | reservations | server */
  kind: string;
  started_at: number;
  duration_ms: number;
  status: CollectionStatus;
  items_seen: number;
  rows_inserted: number;
  rows_updated: number;
  transitions: number;
  repairs: number;
  error: string | null;
  /** JSON: per-step durations, retries, notes */
  details: string | null;
}

/** Small key/value state per server (e.g. the last finished-job sweep). */
export interface CollectorStateTable {
  server_id: number;
  key: string;
  value: string;
  updated_at: number;
}

/**
 * Daily rollups (per server, UTC day, queue, owner, project) so that year-long analyses do not
 * scan every job. Maintained by the collection's aggregate step; must equal a recomputation.
 */
export interface JobDailyRollupsTable {
  server_id: number;
  /** UTC midnight, epoch seconds */
  day: number;
  queue: string;
  owner: string;
  project: string;
  jobs_submitted: number;
  jobs_started: number;
  jobs_finished: number;
  /** finished with a non-zero exit status */
  jobs_failed: number;
  /** nodes × runtime of the jobs that finished that day */
  node_seconds: number;
  /** start − queue time of the jobs that started that day */
  wait_sum_s: number;
  wait_count: number;
  /** JSON array of counts over fixed wait-time buckets (see analyze/wait-buckets.ts) */
  wait_hist: string;
  walltime_req_sum_s: number;
  walltime_used_sum_s: number;
}

export interface Database {
  servers: ServersTable;
  jobs: JobsTable;
  job_history: JobHistoryTable;
  node_snapshots: NodeSnapshotsTable;
  node_events: NodeEventsTable;
  queue_snapshots: QueueSnapshotsTable;
  system_snapshots: SystemSnapshotsTable;
  reservations: ReservationsTable;
  reservation_history: ReservationHistoryTable;
  data_collection_log: DataCollectionLogTable;
  collector_state: CollectorStateTable;
  job_daily_rollups: JobDailyRollupsTable;
}
