/** The reservations collector: `pbs_rstat -f` → reservations and their state history. */
import { writeTransaction } from '../store/transaction.js';
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { recordReservations } from './reservation-record.js';
import { resolveServer } from './server-row.js';

export async function collectReservations(
  ctx: CollectionContext,
  env: CollectorEnv,
): Promise<CollectorOutcome> {
  const now = ctx.clock.now();
  const parsed = env.parsed(await env.fetch(() => ctx.pbs.reservations()));
  const server = await resolveServer(
    ctx.db,
    () => env.fetch(() => ctx.pbs.server()),
    parsed.pbsServer ?? ctx.config.pbs.server,
    now,
  );
  env.checkTime();
  return writeTransaction(ctx.db, async (trx) => ({
    serverId: server.id,
    counts: await recordReservations(trx, server.id, parsed.items, now, true, env.timer),
  }));
}
