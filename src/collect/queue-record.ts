/** Records one snapshot per queue: jobs by state, enabled / started, assigned resources, queued node-hours. */
import type { Insertable, Kysely } from 'kysely';
import type { Queue } from '../pbs/types.js';
import type { Database, QueueSnapshotsTable } from '../store/schema.js';
import type { RecordCounts, StepTimer } from './types.js';
import { num } from './num.js';

/** A `state_count` entry, whatever the case PBS used. */
export function stateCount(counts: Record<string, number>, name: string): number {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(counts)) if (k.toLowerCase() === want) return Number(v) || 0;
  return 0;
}

function resource(res: Record<string, string>, key: string): number | null {
  const v = res[key];
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

const flag = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0);

/** Requested node-hours of the queued jobs, per queue, from what the jobs collector stored. */
async function queuedNodeHours(
  db: Kysely<Database>,
  serverId: number,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select([
      'queue',
      (eb) => eb.fn.sum<number>(eb('nodes', '*', eb.ref('walltime_requested_s'))).as('ns'),
    ])
    .where('server_id', '=', serverId)
    .where('final_state_recorded', '=', 0)
    .where('lifecycle_quality', '!=', 'final_state_missed')
    .where('state', '=', 'Q')
    .where('is_array_parent', '=', 0)
    .groupBy('queue')
    .execute();
  const out = new Map<string, number>();
  for (const r of rows)
    if (r.queue !== null) out.set(r.queue, Math.round(((num(r.ns) ?? 0) / 3600) * 100) / 100);
  return out;
}

/** Inserts one queue_snapshots row per queue. */
export async function recordQueues(
  db: Kysely<Database>,
  serverId: number,
  queues: Queue[],
  now: number,
  timer: StepTimer,
): Promise<RecordCounts> {
  const nodeHours = await timer.time('compare', () => queuedNodeHours(db, serverId));
  const rows: Insertable<QueueSnapshotsTable>[] = queues.map((q) => ({
    server_id: serverId,
    snapshot_time: now,
    queue: q.name,
    queue_type: q.type,
    enabled: flag(q.enabled),
    started: flag(q.started),
    total_jobs:
      q.totalJobs ?? Object.values(q.stateCount).reduce((s, v) => s + (Number(v) || 0), 0),
    queued: stateCount(q.stateCount, 'Queued'),
    running: stateCount(q.stateCount, 'Running'),
    held: stateCount(q.stateCount, 'Held'),
    waiting: stateCount(q.stateCount, 'Waiting'),
    exiting: stateCount(q.stateCount, 'Exiting'),
    transit: stateCount(q.stateCount, 'Transit'),
    begun: stateCount(q.stateCount, 'Begun'),
    nodes_assigned: resource(q.resourcesAssigned, 'nodect'),
    ncpus_assigned: resource(q.resourcesAssigned, 'ncpus'),
    ngpus_assigned: resource(q.resourcesAssigned, 'ngpus'),
    queued_node_hours: nodeHours.get(q.name) ?? (nodeHours.size > 0 ? 0 : null),
  }));
  await timer.time('write', async () => {
    if (rows.length > 0) await db.insertInto('queue_snapshots').values(rows).execute();
  });
  return {
    itemsSeen: queues.length,
    rowsInserted: rows.length,
    rowsUpdated: 0,
    transitions: 0,
    notes: {},
  };
}
