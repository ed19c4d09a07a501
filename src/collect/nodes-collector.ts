/** The nodes collector: `pbsnodes -a` → node events, change snapshots and the daily keyframe. */
import { writeTransaction } from '../store/transaction.js';
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { recordNodes } from './node-record.js';
import { resolveServer } from './server-row.js';

export async function collectNodes(
  ctx: CollectionContext,
  env: CollectorEnv,
): Promise<CollectorOutcome> {
  const now = ctx.clock.now();
  const parsed = env.parsed(await env.fetch(() => ctx.pbs.nodes()));
  const server = await resolveServer(
    ctx.db,
    () => env.fetch(() => ctx.pbs.server()),
    parsed.pbsServer ?? ctx.config.pbs.server,
    now,
  );
  env.checkTime();
  return writeTransaction(ctx.db, async (trx) => {
    const counts = await recordNodes(trx, server.id, parsed.items, now, true, env.timer);
    return { serverId: server.id, counts };
  });
}
