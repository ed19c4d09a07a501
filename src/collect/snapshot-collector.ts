/**
 * The shape shared by the nodes, queues and reservations collectors: fetch one PBS listing, find
 * the server row, then record everything in one transaction.
 */
import type { Kysely } from 'kysely';
import { writeTransaction } from '../store/transaction.js';
import type { Database } from '../store/schema.js';
import type { Parsed } from '../pbs/types.js';
import type { CollectionContext, RecordCounts, StepTimer } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { resolveServer } from './server-row.js';

export type Recorder<T> = (
  trx: Kysely<Database>,
  serverId: number,
  items: T[],
  now: number,
  timer: StepTimer,
) => Promise<RecordCounts>;

/** Runs fetch → resolve server → record (one transaction) for one kind of listing. */
export async function collectListing<T>(
  ctx: CollectionContext,
  env: CollectorEnv,
  fetch: () => Promise<Parsed<T>>,
  record: Recorder<T>,
): Promise<CollectorOutcome> {
  const now = ctx.clock.now();
  const parsed = env.parsed(await env.fetch(fetch));
  const server = await resolveServer(
    ctx.db,
    () => env.fetch(() => ctx.pbs.server()),
    parsed.pbsServer ?? ctx.config.pbs.server,
    now,
  );
  env.checkTime();
  return writeTransaction(ctx.db, async (trx) => ({
    serverId: server.id,
    counts: await record(trx, server.id, parsed.items, now, env.timer),
  }));
}
