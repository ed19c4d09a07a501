/**
 * The first schema: every table of `store/schema.ts`. Schema builder only, never app code, so the
 * migration stays valid as the app changes.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see an untyped database by design */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

type Table = CreateTableBuilder<string, any>;

/** The auto-increment id: `integer primary key autoincrement` on SQLite, bigserial on PostgreSQL. */
function withId(db: Kysely<any>, name: string): Table {
  const t = db.schema.createTable(name);
  return dialectOf(db) === 'sqlite'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : t.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

/** server_id referencing servers (deleting a server deletes its data). */
function serverRef(t: Table, nullable = false): Table {
  return t.addColumn('server_id', 'bigint', (c) => {
    const r = c.references('servers.id').onDelete('cascade');
    return nullable ? r : r.notNull();
  });
}

export async function up(db: Kysely<any>): Promise<void> {
  const bytes = dialectOf(db) === 'sqlite' ? 'blob' : 'bytea';

  await withId(db, 'servers')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('version', 'text')
    .addColumn('history_duration_s', 'bigint')
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .execute();

  await serverRef(withId(db, 'jobs'))
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('owner', 'text')
    .addColumn('project', 'text')
    .addColumn('queue', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('substate', 'integer')
    .addColumn('is_array_parent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('array_parent_id', 'text')
    .addColumn('array_index', 'integer')
    .addColumn('nodes', 'integer')
    .addColumn('ncpus', 'integer')
    .addColumn('ngpus', 'integer')
    .addColumn('mem_bytes', 'bigint')
    .addColumn('walltime_requested_s', 'bigint')
    .addColumn('select_text', 'text')
    .addColumn('place', 'text')
    .addColumn('submit_time', 'bigint')
    .addColumn('queue_time', 'bigint')
    .addColumn('eligible_time', 'bigint')
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .addColumn('end_time_estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('end_time_min', 'bigint')
    .addColumn('end_time_max', 'bigint')
    .addColumn('last_modified', 'bigint')
    .addColumn('history_timestamp', 'bigint')
    .addColumn('exit_status', 'integer')
    .addColumn('run_count', 'integer')
    .addColumn('exec_hosts', 'text')
    .addColumn('walltime_used_s', 'bigint')
    .addColumn('cput_used_s', 'bigint')
    .addColumn('mem_used_bytes', 'bigint')
    .addColumn('comment', 'text')
    .addColumn('final_state_recorded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lifecycle_quality', 'text', (c) => c.notNull().defaultTo('partial'))
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('raw_attrs', bytes)
    .addColumn('raw_hash', 'text')
    .addUniqueConstraint('jobs_server_job_uq', ['server_id', 'job_id'])
    .execute();

  await serverRef(withId(db, 'job_history'))
    .addColumn('job_row_id', 'bigint', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('from_state', 'text')
    .addColumn('from_substate', 'integer')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('to_substate', 'integer')
    .addColumn('from_queue', 'text')
    .addColumn('to_queue', 'text')
    .addColumn('run_count', 'integer')
    .addColumn('event_time', 'bigint')
    .addColumn('observed_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();

  await serverRef(withId(db, 'node_snapshots'))
    .addColumn('snapshot_time', 'bigint', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('states', 'text', (c) => c.notNull())
    .addColumn('ncpus', 'integer')
    .addColumn('ncpus_assigned', 'integer')
    .addColumn('ngpus', 'integer')
    .addColumn('ngpus_assigned', 'integer')
    .addColumn('mem_bytes', 'bigint')
    .addColumn('mem_assigned_bytes', 'bigint')
    .addColumn('jobs', 'text')
    .addColumn('queue', 'text')
    .addColumn('comment', 'text')
    .addColumn('resv', 'text')
    .addColumn('is_keyframe', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await serverRef(withId(db, 'node_events'))
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('from_states', 'text')
    .addColumn('to_states', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('event_time', 'bigint')
    .addColumn('observed_at', 'bigint', (c) => c.notNull())
    .execute();

  await serverRef(withId(db, 'queue_snapshots'))
    .addColumn('snapshot_time', 'bigint', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('queue_type', 'text')
    .addColumn('enabled', 'integer')
    .addColumn('started', 'integer')
    .addColumn('total_jobs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('running', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waiting', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('exiting', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('begun', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('nodes_assigned', 'integer')
    .addColumn('ncpus_assigned', 'integer')
    .addColumn('ngpus_assigned', 'integer')
    .addColumn('queued_node_hours', 'double precision')
    .execute();

  let sys = serverRef(withId(db, 'system_snapshots')).addColumn('snapshot_time', 'bigint', (c) =>
    c.notNull(),
  );
  for (const col of [
    'nodes_total',
    'nodes_free',
    'nodes_busy',
    'nodes_down',
    'nodes_offline',
    'nodes_resv',
    'nodes_assigned',
    'cores_total',
    'cores_assigned',
    'gpus_total',
    'gpus_assigned',
    'jobs_total',
    'jobs_queued',
    'jobs_running',
    'jobs_held',
    'jobs_other',
  ]) {
    sys = sys.addColumn(col, 'bigint', (c) => c.notNull().defaultTo(0));
  }
  await sys.execute();

  await serverRef(withId(db, 'reservations'))
    .addColumn('resv_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('owner', 'text')
    .addColumn('state', 'text')
    .addColumn('queue', 'text')
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .addColumn('duration_s', 'bigint')
    .addColumn('node_count', 'integer')
    .addColumn('nodes', 'text')
    .addColumn('select_text', 'text')
    .addColumn('rrule', 'text')
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('gone', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('reservations_server_resv_uq', ['server_id', 'resv_id'])
    .execute();

  await serverRef(withId(db, 'reservation_history'))
    .addColumn('reservation_row_id', 'bigint', (c) =>
      c.notNull().references('reservations.id').onDelete('cascade'),
    )
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('observed_at', 'bigint', (c) => c.notNull())
    .execute();

  await serverRef(withId(db, 'data_collection_log'), true)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('items_seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_inserted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transitions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('repairs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('details', 'text')
    .execute();

  await serverRef(db.schema.createTable('collector_state'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('collector_state_pk', ['server_id', 'key'])
    .execute();

  let roll = serverRef(db.schema.createTable('job_daily_rollups'))
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('project', 'text', (c) => c.notNull());
  for (const col of [
    'jobs_submitted',
    'jobs_started',
    'jobs_finished',
    'jobs_failed',
    'node_seconds',
    'wait_sum_s',
    'wait_count',
    'walltime_req_sum_s',
    'walltime_used_sum_s',
  ]) {
    roll = roll.addColumn(col, 'bigint', (c) => c.notNull().defaultTo(0));
  }
  await roll
    .addColumn('wait_hist', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('job_daily_rollups_pk', [
      'server_id',
      'day',
      'queue',
      'owner',
      'project',
    ])
    .execute();

  await createIndexes(db);
}

/** Indexes for the questions users ask: a user's / project's / queue's jobs in a window, etc. */
async function createIndexes(db: Kysely<any>): Promise<void> {
  const idx: Array<[string, string, string[]]> = [
    ['jobs_owner_end_idx', 'jobs', ['owner', 'end_time']],
    ['jobs_project_end_idx', 'jobs', ['project', 'end_time']],
    ['jobs_queue_end_idx', 'jobs', ['queue', 'end_time']],
    ['jobs_submit_idx', 'jobs', ['submit_time']],
    ['jobs_end_idx', 'jobs', ['end_time']],
    ['jobs_state_idx', 'jobs', ['state']],
    ['job_history_job_idx', 'job_history', ['job_row_id', 'observed_at']],
    ['job_history_server_time_idx', 'job_history', ['server_id', 'observed_at']],
    ['node_snapshots_server_time_idx', 'node_snapshots', ['server_id', 'snapshot_time']],
    ['node_snapshots_node_time_idx', 'node_snapshots', ['node', 'snapshot_time']],
    ['node_events_node_idx', 'node_events', ['node', 'observed_at']],
    ['node_events_server_time_idx', 'node_events', ['server_id', 'observed_at']],
    ['queue_snapshots_server_time_idx', 'queue_snapshots', ['server_id', 'snapshot_time']],
    ['queue_snapshots_queue_time_idx', 'queue_snapshots', ['queue', 'snapshot_time']],
    ['system_snapshots_server_time_idx', 'system_snapshots', ['server_id', 'snapshot_time']],
    ['reservation_history_resv_idx', 'reservation_history', ['reservation_row_id', 'observed_at']],
    ['data_collection_log_kind_idx', 'data_collection_log', ['kind', 'started_at']],
    ['data_collection_log_server_idx', 'data_collection_log', ['server_id', 'kind', 'started_at']],
  ];
  for (const [name, table, cols] of idx) {
    await db.schema.createIndex(name).on(table).columns(cols).execute();
  }
  // the keyframe a node-state reconstruction starts from, found without scanning change rows
  await db.schema
    .createIndex('node_snapshots_keyframe_idx')
    .on('node_snapshots')
    .columns(['server_id', 'snapshot_time'])
    .where(sql<boolean>`is_keyframe = 1`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'job_daily_rollups',
    'collector_state',
    'data_collection_log',
    'reservation_history',
    'reservations',
    'system_snapshots',
    'queue_snapshots',
    'node_events',
    'node_snapshots',
    'job_history',
    'jobs',
    'servers',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
