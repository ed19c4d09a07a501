/**
 * Placeholder (owned by the collection engine): the stored lifecycle of one job, for `job show`.
 */
import type { Deps } from '../deps.js';

/**
 * Returns the lines describing the stored lifecycle of `jobId` (transitions with times, wait,
 * runtime, quality flags), or null when the database does not know the job or does not exist.
 */
export async function describeStoredLifecycle(
  _jobId: string,
  _deps: Deps,
): Promise<Record<string, unknown> | null> {
  return null;
}
