/** The nodes collector: `pbsnodes -a` → node events, change snapshots and the daily keyframe. */
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { recordNodes } from './node-record.js';
import { collectListing } from './snapshot-collector.js';

export function collectNodes(ctx: CollectionContext, env: CollectorEnv): Promise<CollectorOutcome> {
  return collectListing(
    ctx,
    env,
    () => ctx.pbs.nodes(),
    (trx, serverId, items, now, timer) => recordNodes(trx, serverId, items, now, true, timer),
  );
}
