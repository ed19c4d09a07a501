/**
 * The collection pipeline: collect → compare → record → aggregate → clean up, one collector per
 * kind of data. Each collector is isolated: its own timeout, retries, transaction and log row;
 * one failing never stops the others, and a failure never throws out of runCollection.
 */
import { PbsCommandError, PbsNotFoundError, PbsTimeoutError } from '../pbs/errors.js';
import type { PbsOutputError } from '../pbs/errors.js';
import type { Parsed } from '../pbs/types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { collectJobs } from './jobs-collector.js';
import { collectNodes } from './nodes-collector.js';
import { collectQueues } from './queues-collector.js';
import { collectReservations } from './reservations-collector.js';
import { collectSystem } from './system-collector.js';
import { writeLogRow } from './collection-log.js';
import { withRetry, type RetryInfo } from './retry.js';
import { pruneSpool, spoolLimits, spoolOutput, unparseableDir } from './spool.js';
import {
  StepTimer,
  type CollectionContext,
  type CollectionResult,
  type CollectorKind,
} from './types.js';

export type { CollectorKind, CollectionContext, CollectionResult } from './types.js';
export { COLLECTOR_KINDS } from './types.js';
export { historyLagWarning } from './history-lag.js';

const COLLECTORS: Record<
  CollectorKind,
  (ctx: CollectionContext, env: CollectorEnv) => Promise<CollectorOutcome>
> = {
  jobs: collectJobs,
  nodes: collectNodes,
  queues: collectQueues,
  system: collectSystem,
  reservations: collectReservations,
};

class CollectorTimeoutError extends Error {}

/** Runs the given collectors in turn, each isolated (own timeout, retries, transaction, log row). Never throws for a collector failure. */
export async function runCollection(
  ctx: CollectionContext,
  kinds: CollectorKind[],
): Promise<CollectionResult[]> {
  const results: CollectionResult[] = [];
  for (const kind of kinds) {
    if (ctx.signal?.aborted) break;
    results.push(await runOne(ctx, kind));
  }
  // clean up: keep the spool of unparseable output within its bounds
  await pruneSpool(spoolDirOf(ctx), ctx.clock.nowMs(), spoolLimits(ctx.config)).catch(() => 0);
  return results;
}

function spoolDirOf(ctx: CollectionContext): string {
  return unparseableDir(ctx.spoolDir ?? ctx.config.collection.spool_dir);
}

/** A collector's time budget: every command may use all its attempts, plus the backoff sleeps. */
function timeoutMs(ctx: CollectionContext): number {
  const r = ctx.config.collection.retry;
  return Math.max(60_000, (ctx.config.pbs.command_timeout * 4 + r.max_delay) * r.attempts * 1000);
}

async function runOne(ctx: CollectionContext, kind: CollectorKind): Promise<CollectionResult> {
  const startedAt = ctx.clock.now();
  const t0 = performance.now();
  const timer = new StepTimer();
  const info: RetryInfo = { retries: 0, errors: [] };
  const spooled: string[] = [];
  let repairs = 0;
  let timedOut = false;
  ctx.pbs.takeTimings(); // drop timings of commands run before this collector
  const env: CollectorEnv = {
    timer,
    fetch: (fn) =>
      timer.time('fetch', () =>
        withRetry(fn, {
          retry: ctx.config.collection.retry,
          clock: ctx.clock,
          info,
          signal: ctx.signal,
          onOutputError: async (err: PbsOutputError) => {
            const file = await spoolOutput(
              spoolDirOf(ctx),
              err,
              kind,
              ctx.clock.nowMs(),
              spoolLimits(ctx.config),
            ).catch(() => null);
            if (file) spooled.push(file);
          },
        }),
      ),
    parsed: <T>(p: Parsed<T>) => {
      repairs += p.repairs.length;
      return p;
    },
    checkTime: () => {
      if (timedOut)
        throw new CollectorTimeoutError(`${kind}: timed out after ${timeoutMs(ctx) / 1000} s`);
    },
  };
  let outcome: CollectorOutcome | null = null;
  let error: string | null = null;
  let pbsDown = false;
  let timer_: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer_ = setTimeout(() => {
        timedOut = true;
        reject(new CollectorTimeoutError(`${kind}: timed out after ${timeoutMs(ctx) / 1000} s`));
      }, timeoutMs(ctx));
      timer_.unref?.();
    });
    outcome = await Promise.race([COLLECTORS[kind](ctx, env), deadline]);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    pbsDown =
      (err instanceof PbsCommandError && err.serverDown) ||
      err instanceof PbsNotFoundError ||
      err instanceof PbsTimeoutError;
    ctx.logger.error({ kind, err: error }, `${kind}: collection failed`);
  } finally {
    clearTimeout(timer_);
  }
  const timings = ctx.pbs.takeTimings();
  const pbsMs = timings.reduce((s, t) => s + t.ms, 0);
  const steps: Record<string, number> = {
    pbs: Math.round(pbsMs),
    parse: Math.max(0, Math.round((timer.steps.fetch ?? 0) - pbsMs)),
    compare: Math.round(timer.steps.compare ?? 0),
    write: Math.round(timer.steps.write ?? 0),
  };
  if (timer.steps.aggregate) steps.aggregate = Math.round(timer.steps.aggregate);
  const counts = outcome?.counts;
  const result: CollectionResult = {
    kind,
    status: error ? 'failed' : (outcome?.status ?? 'ok'),
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    itemsSeen: counts?.itemsSeen ?? 0,
    rowsInserted: counts?.rowsInserted ?? 0,
    rowsUpdated: counts?.rowsUpdated ?? 0,
    transitions: counts?.transitions ?? 0,
    repairs,
    error,
    steps,
    ...(pbsDown ? { pbsUnavailable: true } : {}),
  };
  const details = {
    steps,
    commands: timings.length,
    pbs_bytes: timings.reduce((s, t) => s + t.bytes, 0),
    retries: info.retries,
    ...(info.errors.length > 0 ? { retry_errors: info.errors.slice(0, 5) } : {}),
    ...(spooled.length > 0 ? { spooled } : {}),
    ...(pbsDown ? { pbs_unreachable: true } : {}),
    ...(counts?.notes ?? {}),
  };
  await writeLogRow(ctx, outcome?.serverId ?? null, result, details).catch((err: unknown) =>
    ctx.logger.error(
      { kind, err: (err as Error).message },
      `${kind}: could not write the collection log`,
    ),
  );
  return result;
}
