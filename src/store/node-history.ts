/**
 * Node history is stored sparsely: a full keyframe a day plus a row only when a node changed. The
 * state of every node at an instant is the latest keyframe at or before it, overlaid with the
 * change rows after that keyframe up to the instant.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, NodeSnapshotsTable } from './schema.js';

export type NodeStateRow = Selectable<NodeSnapshotsTable>;

/** Each node's latest row at or before `at` since the keyframe that precedes it, sorted by node. */
export async function nodeStatesAt(
  db: Kysely<Database>,
  serverId: number,
  at: number,
): Promise<NodeStateRow[]> {
  const kf = await db
    .selectFrom('node_snapshots')
    .select((eb) => eb.fn.max('snapshot_time').as('t'))
    .where('server_id', '=', serverId)
    .where('is_keyframe', '=', 1)
    .where('snapshot_time', '<=', at)
    .executeTakeFirst();
  const from = kf?.t ?? null;
  // without a keyframe the change rows alone are the best knowledge there is
  let q = db
    .selectFrom('node_snapshots')
    .selectAll()
    .where('server_id', '=', serverId)
    .where('snapshot_time', '<=', at);
  if (from !== null) q = q.where('snapshot_time', '>=', Number(from));
  const rows = await q.orderBy('snapshot_time').orderBy('id').execute();
  const latest = new Map<string, NodeStateRow>();
  for (const r of rows) latest.set(r.node, r);
  return [...latest.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}
