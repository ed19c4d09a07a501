/** A collector's result for fake collection engines in tests: failed when `error` is given. */
import {
  failedResult,
  type CollectionResult,
  type CollectorKind,
} from '../../src/collect/types.js';

export function collectionResult(
  kind: CollectorKind,
  startedAtS: number,
  error: string | null = null,
  more: Partial<CollectionResult> = {},
): CollectionResult {
  // the production shape of an empty result, with the status and error the test asks for
  return {
    ...failedResult(kind, startedAtS * 1000, 1, error ?? ''),
    status: error ? 'failed' : 'ok',
    error,
    ...more,
  };
}
