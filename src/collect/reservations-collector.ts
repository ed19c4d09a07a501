/** The reservations collector: `pbs_rstat -f` → reservations and their state history. */
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { recordReservations } from './reservation-record.js';
import { collectListing } from './snapshot-collector.js';

export function collectReservations(
  ctx: CollectionContext,
  env: CollectorEnv,
): Promise<CollectorOutcome> {
  return collectListing(
    ctx,
    env,
    () => ctx.pbs.reservations(),
    (trx, serverId, items, now, timer) =>
      recordReservations(trx, serverId, items, now, true, timer),
  );
}
