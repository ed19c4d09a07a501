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

/** A result for a run that threw before the collectors could report. */
export function failedResult(
  kind: CollectorKind,
  startedAtMs: number,
  durationMs: number,
  error: string,
): CollectionResult {
  return {
    kind,
    status: 'failed',
    startedAt: Math.floor(startedAtMs / 1000),
    durationMs,
    itemsSeen: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    transitions: 0,
    repairs: 0,
    error,
    steps: {},
  };
}
