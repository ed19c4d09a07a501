/** Records one system snapshot: nodes by state, jobs by state, cores / GPUs assigned and available. */
import type { Insertable, Kysely } from 'kysely';
import type { Node, Server } from '../pbs/types.js';
import type { Database, SystemSnapshotsTable } from '../store/schema.js';
import type { RecordCounts, StepTimer } from './types.js';
import { stateCount } from './queue-record.js';

const DOWN = ['down', 'state-unknown', 'stale', 'unresolvable'];
const OFFLINE = ['offline', 'offline_by_mom', 'maintenance', 'sleep'];
const RESV = ['resv-exclusive'];
const BUSY = ['job-busy', 'job-exclusive', 'job-sharing', 'busy'];

/** One bucket per node: down before offline before reservation before busy before free. */
export function nodeBucket(
  states: readonly string[],
): 'down' | 'offline' | 'resv' | 'busy' | 'free' | 'other' {
  const s = states.map((x) => x.toLowerCase());
  const has = (list: string[]) => s.some((x) => list.includes(x));
  if (has(DOWN)) return 'down';
  if (has(OFFLINE)) return 'offline';
  if (has(RESV)) return 'resv';
  if (has(BUSY)) return 'busy';
  if (s.includes('free')) return 'free';
  return 'other';
}

/** Builds the snapshot row (pure). */
export function systemRow(
  serverId: number,
  now: number,
  nodes: Node[],
  server: Server | null,
): Insertable<SystemSnapshotsTable> {
  const count = { down: 0, offline: 0, resv: 0, busy: 0, free: 0, other: 0 };
  let assigned = 0;
  let cores = 0;
  let coresA = 0;
  let gpus = 0;
  let gpusA = 0;
  for (const n of nodes) {
    count[nodeBucket(n.states)]++;
    if (n.jobs.length > 0 || (n.ncpusAssigned ?? 0) > 0) assigned++;
    cores += n.ncpus ?? 0;
    coresA += n.ncpusAssigned ?? 0;
    gpus += n.ngpus ?? 0;
    gpusA += n.ngpusAssigned ?? 0;
  }
  const sc = server?.stateCount ?? {};
  const queued = stateCount(sc, 'Queued');
  const running = stateCount(sc, 'Running');
  const held = stateCount(sc, 'Held');
  const total = server?.totalJobs ?? Object.values(sc).reduce((s, v) => s + (Number(v) || 0), 0);
  return {
    server_id: serverId,
    snapshot_time: now,
    nodes_total: nodes.length,
    nodes_free: count.free,
    nodes_busy: count.busy,
    nodes_down: count.down,
    nodes_offline: count.offline,
    nodes_resv: count.resv,
    nodes_assigned: assigned,
    cores_total: cores,
    cores_assigned: coresA,
    gpus_total: gpus,
    gpus_assigned: gpusA,
    jobs_total: total,
    jobs_queued: queued,
    jobs_running: running,
    jobs_held: held,
    jobs_other: Math.max(0, total - queued - running - held),
  };
}

/** Inserts the snapshot. */
export async function recordSystem(
  db: Kysely<Database>,
  serverId: number,
  nodes: Node[],
  server: Server | null,
  now: number,
  timer: StepTimer,
): Promise<RecordCounts> {
  const row = systemRow(serverId, now, nodes, server);
  await timer.time('write', () => db.insertInto('system_snapshots').values(row).execute());
  return { itemsSeen: nodes.length, rowsInserted: 1, rowsUpdated: 0, transitions: 0, notes: {} };
}
