/**
 * The collection contract the daemon schedules (src/collect/run.ts), as the scheduler sees it:
 * a function of the kinds to run and an abort signal.
 */
import type { CollectionResult, CollectorKind } from '../collect/types.js';

export type { CollectionResult, CollectorKind } from '../collect/types.js';

export const COLLECTOR_KINDS: readonly CollectorKind[] = [
  'jobs',
  'nodes',
  'queues',
  'system',
  'reservations',
];

/** Runs the given collectors once; the scheduler's view of runCollection(ctx, kinds). */
export type RunCollectors = (
  kinds: CollectorKind[],
  signal: AbortSignal,
) => Promise<CollectionResult[]>;

export { failedResult } from '../collect/types.js';
