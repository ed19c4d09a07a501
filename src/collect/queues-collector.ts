/** The queues collector: `qstat -Q -f` → one snapshot per queue. */
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { recordQueues } from './queue-record.js';
import { collectListing } from './snapshot-collector.js';

export function collectQueues(
  ctx: CollectionContext,
  env: CollectorEnv,
): Promise<CollectorOutcome> {
  return collectListing(ctx, env, () => ctx.pbs.queues(), recordQueues);
}
