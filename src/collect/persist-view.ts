/**
 * Persists what a live view showed (`--collect`, or `database.auto_persist: true`), with the same
 * record code as the collectors. A view may be filtered (one user, some nodes), so nothing absent
 * from it is taken as vanished: no final_state_missed, no keyframe, no reservation marked gone.
 */
import type { Kysely } from 'kysely';
import type { Deps } from '../deps.js';
import type { Job, Node, Parsed, Queue, Reservation, Server } from '../pbs/types.js';
import type { Database } from '../store/schema.js';
import { writeTransaction } from '../store/transaction.js';
import { recordJobs } from './job-record.js';
import { recordNodes } from './node-record.js';
import { recordQueues } from './queue-record.js';
import { recordReservations } from './reservation-record.js';
import { resolveServer, upsertServer, type ServerRow } from './server-row.js';
import { StepTimer, type RecordCounts } from './types.js';
import { writeLogRow } from './collection-log.js';

export interface ViewData {
  jobs?: Parsed<Job>;
  nodes?: Parsed<Node>;
  queues?: Parsed<Queue>;
  server?: Parsed<Server>;
  reservations?: Parsed<Reservation>;
}

type Part = {
  kind: 'jobs' | 'nodes' | 'queues' | 'reservations';
  counts: RecordCounts;
  repairs: number;
  ms: number;
  steps: Record<string, number>;
};

/** Writes the view's data to the history database; prints a one-line summary to stderr. */
export async function persistView(data: ViewData, deps: Deps): Promise<void> {
  const db = await deps.db();
  const pbs = await deps.pbs();
  const { config } = await deps.config();
  const logger = await deps.logger();
  const now = deps.clock.now();
  const hint =
    data.server?.items[0]?.name ??
    data.jobs?.pbsServer ??
    data.nodes?.pbsServer ??
    data.queues?.pbsServer ??
    data.reservations?.pbsServer ??
    config.pbs.server;
  const server: ServerRow = data.server
    ? await writeTransaction(db, (trx) => upsertServer(trx, data.server!, now, hint ?? 'default'))
    : await resolveServer(db, () => pbs.server(), hint, now);
  const parts: Part[] = [];
  const step = async (
    kind: Part['kind'],
    repairs: number,
    fn: (trx: Kysely<Database>, timer: StepTimer) => Promise<RecordCounts>,
  ) => {
    const timer = new StepTimer();
    const t0 = performance.now();
    const counts = await writeTransaction(db, (trx) => fn(trx, timer));
    parts.push({ kind, counts, repairs, ms: performance.now() - t0, steps: timer.steps });
  };
  if (data.jobs) {
    const jobs = data.jobs;
    await step('jobs', jobs.repairs.length, async (trx, timer) => {
      const stored = new Map();
      return recordJobs(
        trx,
        server.id,
        jobs.items,
        stored,
        { now, complete: false, lastSighting: null },
        timer,
      );
    });
  }
  if (data.nodes) {
    const nodes = data.nodes;
    await step('nodes', nodes.repairs.length, (trx, timer) =>
      recordNodes(trx, server.id, nodes.items, now, false, timer),
    );
  }
  if (data.queues) {
    const queues = data.queues;
    await step('queues', queues.repairs.length, (trx, timer) =>
      recordQueues(trx, server.id, queues.items, now, timer),
    );
  }
  if (data.reservations) {
    const resvs = data.reservations;
    await step('reservations', resvs.repairs.length, (trx, timer) =>
      recordReservations(trx, server.id, resvs.items, now, false, timer),
    );
  }
  const ctx = { db, pbs, clock: deps.clock, logger, config };
  for (const p of parts) {
    await writeLogRow(
      ctx,
      server.id,
      {
        kind: p.kind,
        status: 'ok',
        startedAt: now,
        durationMs: Math.round(p.ms),
        itemsSeen: p.counts.itemsSeen,
        rowsInserted: p.counts.rowsInserted,
        rowsUpdated: p.counts.rowsUpdated,
        transitions: p.counts.transitions,
        repairs: p.repairs,
        error: null,
        steps: p.steps,
      },
      { source: 'view', steps: p.steps, ...p.counts.notes },
    );
  }
  const summary = parts
    .map((p) =>
      p.kind === 'jobs'
        ? `${p.counts.itemsSeen} jobs (${String(p.counts.notes.new_jobs ?? 0)} new, ${p.counts.transitions} transitions)`
        : `${p.counts.itemsSeen} ${p.kind} (${p.counts.rowsInserted} rows)`,
    )
    .join(', ');
  deps.io.writeErr(`stored: ${summary || 'server only'} in ${server.name}\n`);
}
