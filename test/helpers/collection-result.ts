/** A collector's result for fake collection engines in tests: failed when `error` is given. */
import type { CollectionResult, CollectorKind } from '../../src/collect/types.js';

export function collectionResult(
  kind: CollectorKind,
  startedAtS: number,
  error: string | null = null,
  more: Partial<CollectionResult> = {},
): CollectionResult {
  return {
    kind,
    status: error ? 'failed' : 'ok',
    startedAt: startedAtS,
    durationMs: 1,
    itemsSeen: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    transitions: 0,
    repairs: 0,
    error,
    steps: {},
    ...more,
  };
}
