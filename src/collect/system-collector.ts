/** The system collector: `pbsnodes -a` and `qstat -B` → one system snapshot per run. */
import { writeTransaction } from '../store/transaction.js';
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { recordSystem } from './system-record.js';
import { upsertServer } from './server-row.js';

export async function collectSystem(
  ctx: CollectionContext,
  env: CollectorEnv,
): Promise<CollectorOutcome> {
  const now = ctx.clock.now();
  const nodes = env.parsed(await env.fetch(() => ctx.pbs.nodes()));
  const server = env.parsed(await env.fetch(() => ctx.pbs.server()));
  env.checkTime();
  return writeTransaction(ctx.db, async (trx) => {
    const row = await upsertServer(
      trx,
      server,
      now,
      nodes.pbsServer ?? ctx.config.pbs.server ?? 'default',
    );
    const counts = await recordSystem(
      trx,
      row.id,
      nodes.items,
      server.items[0] ?? null,
      now,
      env.timer,
    );
    return { serverId: row.id, counts };
  });
}
