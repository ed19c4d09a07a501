/**
 * Synthetic snapshots for tests and demos: system and queue snapshots and a collection-log row
 * every `stepS` (skipping one gap), plus node outages as node events. Deterministic per seed.
 */
import type { Insertable, Kysely } from 'kysely';
import type {
  Database,
  DataCollectionLogTable,
  NodeEventsTable,
  QueueSnapshotsTable,
  SystemSnapshotsTable,
} from '../store/schema.js';
import { ensureServer, rng } from './synthetic.js';

export interface SnapshotOptions {
  serverName?: string;
  from: number;
  to: number;
  stepS?: number;
  /** a collection outage [from, to) with no snapshots and no log rows */
  gap?: { from: number; to: number };
  nodes?: number;
  seed?: number;
}

export interface SyntheticSnapshots {
  system: Array<Insertable<SystemSnapshotsTable>>;
  queues: Array<Insertable<QueueSnapshotsTable>>;
  events: Array<Insertable<NodeEventsTable>>;
  log: Array<Insertable<DataCollectionLogTable>>;
}

/** Generates and inserts the snapshots; returns what was inserted. */
export async function generateSnapshots(
  db: Kysely<Database>,
  o: SnapshotOptions,
): Promise<SyntheticSnapshots> {
  const rand = rng(o.seed ?? 1);
  const step = o.stepS ?? 600;
  const nodes = o.nodes ?? 100;
  const serverId = await ensureServer(db, o.serverName ?? 'synth', o.from);
  const out: SyntheticSnapshots = { system: [], queues: [], events: [], log: [] };
  for (let t = o.from; t < o.to; t += step) {
    if (o.gap && t >= o.gap.from && t < o.gap.to) continue;
    const down = Math.floor(rand() * 4);
    const offline = Math.floor(rand() * 3);
    const resv = Math.floor(rand() * 5);
    const assigned = Math.floor(rand() * (nodes - down - offline - resv));
    const queued = Math.floor(rand() * 200);
    out.system.push({
      server_id: serverId,
      snapshot_time: t,
      nodes_total: nodes,
      nodes_free: nodes - assigned - down - offline - resv,
      nodes_busy: assigned,
      nodes_down: down,
      nodes_offline: offline,
      nodes_resv: resv,
      nodes_assigned: assigned,
      cores_total: nodes * 128,
      cores_assigned: assigned * 128,
      gpus_total: nodes * 4,
      gpus_assigned: Math.floor(assigned * 2),
      jobs_total: queued + assigned,
      jobs_queued: queued,
      jobs_running: assigned,
      jobs_held: 0,
      jobs_other: 0,
    });
    for (const q of ['workq', 'gpu']) {
      const qq = q === 'workq' ? Math.floor(queued * 0.7) : queued - Math.floor(queued * 0.7);
      out.queues.push({
        server_id: serverId,
        snapshot_time: t,
        queue: q,
        queue_type: 'Execution',
        enabled: 1,
        started: 1,
        total_jobs: qq + 5,
        queued: qq,
        running: 5,
        held: 0,
        waiting: 0,
        exiting: 0,
        transit: 0,
        begun: 0,
        nodes_assigned: q === 'workq' ? assigned - 10 : 10,
        ncpus_assigned: (q === 'workq' ? assigned - 10 : 10) * 128,
        ngpus_assigned: q === 'gpu' ? 40 : 0,
        queued_node_hours: qq * 2.5,
      });
    }
    out.log.push({
      server_id: serverId,
      kind: 'jobs',
      started_at: t,
      duration_ms: 200,
      status: rand() < 0.02 ? 'failed' : 'ok',
      items_seen: 100,
      rows_inserted: 1,
      rows_updated: 2,
      transitions: 3,
      repairs: rand() < 0.1 ? 1 : 0,
      error: null,
      details: null,
    });
  }
  // outages: every 10th node goes down for 1–5 h twice, with an admin comment
  for (let n = 0; n < nodes; n += 10) {
    const node = `n${String(n).padStart(3, '0')}`;
    for (let k = 0; k < 2; k++) {
      // the first outage in the first half of the window, the second in the second: no overlap
      const half = Math.floor((o.to - o.from) / 2);
      const start = o.from + k * half + Math.floor(rand() * (half - 6 * 3600));
      const len = 3600 + Math.floor(rand() * 4 * 3600);
      const state = k === 0 ? 'down' : 'offline';
      out.events.push(
        {
          server_id: serverId,
          node,
          from_states: 'free',
          to_states: state,
          comment: `${state}: ticket ${n}-${k}`,
          event_time: start,
          observed_at: start + 30,
        },
        {
          server_id: serverId,
          node,
          from_states: state,
          to_states: 'free',
          comment: null,
          event_time: start + len,
          observed_at: start + len + 30,
        },
      );
    }
  }
  out.events.sort(
    (a, b) => a.node.localeCompare(b.node) || (a.event_time as number) - (b.event_time as number),
  );
  for (const [table, rows] of [
    ['system_snapshots', out.system],
    ['queue_snapshots', out.queues],
    ['node_events', out.events],
    ['data_collection_log', out.log],
  ] as const) {
    for (let i = 0; i < rows.length; i += 400) {
      await db
        .insertInto(table)
        .values(rows.slice(i, i + 400) as never)
        .execute();
    }
  }
  return out;
}
