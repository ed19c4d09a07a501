/** Retries PBS commands with exponential backoff and jitter, sleeping through the injected Clock. */
import type { Config } from '../config/schema.js';
import { PbsNotFoundError, PbsOutputError } from '../pbs/errors.js';
import type { Clock } from '../util/clock.js';

export interface RetryInfo {
  /** attempts that failed and were retried */
  retries: number;
  errors: string[];
}

/** Delay before retry `n` (0-based): base·2ⁿ capped at max, with up to 50 % jitter taken off. */
export function backoffMs(
  retry: Config['collection']['retry'],
  n: number,
  random: () => number = Math.random,
): number {
  const capped = Math.min(retry.max_delay, retry.base_delay * 2 ** n);
  return Math.round(capped * 1000 * (0.5 + 0.5 * random()));
}

/**
 * Runs `fn` up to `retry.attempts` times. A missing binary is not retried (it will not appear);
 * unreadable output is handed to `onOutputError` (the spool) before retrying.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  opts: {
    retry: Config['collection']['retry'];
    clock: Clock;
    info: RetryInfo;
    signal?: AbortSignal;
    onOutputError?: (err: PbsOutputError) => Promise<void>;
    random?: () => number;
  },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PbsOutputError && opts.onOutputError) await opts.onOutputError(err);
      const last = attempt + 1 >= opts.retry.attempts;
      if (last || err instanceof PbsNotFoundError || opts.signal?.aborted) throw err;
      opts.info.retries++;
      opts.info.errors.push(err instanceof Error ? err.message : String(err));
      await opts.clock.sleep(backoffMs(opts.retry, attempt, opts.random), opts.signal);
    }
  }
}
