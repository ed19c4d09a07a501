/** The queues collector: `qstat -Q -f` → one snapshot per queue. */
import { writeTransaction } from '../store/transaction.js';
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { recordQueues } from './queue-record.js';
import { resolveServer } from './server-row.js';

export async function collectQueues(
  ctx: CollectionContext,
  env: CollectorEnv,
): Promise<CollectorOutcome> {
  const now = ctx.clock.now();
  const parsed = env.parsed(await env.fetch(() => ctx.pbs.queues()));
  const server = await resolveServer(
    ctx.db,
    () => env.fetch(() => ctx.pbs.server()),
    parsed.pbsServer ?? ctx.config.pbs.server,
    now,
  );
  env.checkTime();
  return writeTransaction(ctx.db, async (trx) => ({
    serverId: server.id,
    counts: await recordQueues(trx, server.id, parsed.items, now, env.timer),
  }));
}
