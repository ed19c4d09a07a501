/**
 * Records nodes: a `node_events` row per state change (with the admin's comment), a change-based
 * `node_snapshots` row when a node's states, jobs, assignment or comment changed, and once per UTC
 * day a keyframe of every node. The last known state of each node is kept in collector_state.
 */
import { createHash } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Node } from '../pbs/types.js';
import type { Database, NodeEventsTable, NodeSnapshotsTable } from '../store/schema.js';
import type { RecordCounts, StepTimer } from './types.js';
import { chunks, utcDay } from './num.js';
import { getNumberState, getState, setState } from './state.js';

export const NODES_LAST_KEY = 'nodes.last';
export const KEYFRAME_DAY_KEY = 'nodes.keyframe_day';

/** name → [sorted states, hash of what a change row records] */
type NodeMap = Record<string, [string, string]>;

function nodeHash(n: Node, states: string): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        states,
        n.jobs,
        n.queue,
        n.comment,
        n.resv,
        n.ncpusAssigned,
        n.ngpusAssigned,
        n.memAssignedBytes,
      ]),
    )
    .digest('base64')
    .slice(0, 16);
}

/** Writes the node rows for `nodes`; `complete` when they are all the server's nodes. */
export async function recordNodes(
  db: Kysely<Database>,
  serverId: number,
  nodes: Node[],
  now: number,
  complete: boolean,
  timer: StepTimer,
): Promise<RecordCounts> {
  const { prev, keyframeDay } = await timer.time('compare', async () => ({
    prev: JSON.parse((await getState(db, serverId, NODES_LAST_KEY)) ?? 'null') as NodeMap | null,
    keyframeDay: await getNumberState(db, serverId, KEYFRAME_DAY_KEY),
  }));
  const today = utcDay(now);
  const keyframe = complete && keyframeDay !== today;
  const next: NodeMap = complete || !prev ? {} : { ...prev };
  const snapshots: Insertable<NodeSnapshotsTable>[] = [];
  const events: Insertable<NodeEventsTable>[] = [];
  let changed = 0;
  await timer.time('compare', () => {
    for (const n of nodes) {
      const states = [...n.states].sort().join(',');
      const hash = nodeHash(n, states);
      next[n.name] = [states, hash];
      const before = prev?.[n.name];
      if (prev && (!before || before[0] !== states)) {
        events.push({
          server_id: serverId,
          node: n.name,
          from_states: before?.[0] ?? null,
          to_states: states,
          comment: n.comment,
          event_time: n.lastStateChangeTime,
          observed_at: now,
        });
      }
      const differs = !before || before[1] !== hash;
      if (differs) changed++;
      if (keyframe || differs) {
        snapshots.push({
          server_id: serverId,
          snapshot_time: now,
          node: n.name,
          states,
          ncpus: n.ncpus,
          ncpus_assigned: n.ncpusAssigned,
          ngpus: n.ngpus,
          ngpus_assigned: n.ngpusAssigned,
          mem_bytes: n.memBytes,
          mem_assigned_bytes: n.memAssignedBytes,
          jobs: n.jobs.length > 0 ? n.jobs.join(',') : null,
          queue: n.queue,
          comment: n.comment,
          resv: n.resv,
          is_keyframe: keyframe ? 1 : 0,
        });
      }
    }
  });
  await timer.time('write', async () => {
    for (const part of chunks(snapshots, 500))
      await db.insertInto('node_snapshots').values(part).execute();
    for (const part of chunks(events, 500))
      await db.insertInto('node_events').values(part).execute();
    const gone = complete && prev ? Object.keys(prev).filter((k) => !(k in next)).length : 0;
    if (changed > 0 || gone > 0 || !prev)
      await setState(db, serverId, NODES_LAST_KEY, JSON.stringify(next), now);
    if (keyframe) await setState(db, serverId, KEYFRAME_DAY_KEY, String(today), now);
  });
  return {
    itemsSeen: nodes.length,
    rowsInserted: snapshots.length + events.length,
    rowsUpdated: 0,
    transitions: events.length,
    notes: { keyframe, changed_nodes: changed, node_events: events.length },
  };
}
