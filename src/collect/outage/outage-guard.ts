/**
 * The daemon's guard around each collection tick, for database outages. Before the tick a cheap
 * probe (`select 1`, short timeout) asks whether the database answers; when it does not, or when a
 * collector fails for a database reason, what PBS shows now is captured to the bounded outage
 * spool instead of being lost. When the database answers again the spool is replayed, oldest
 * first, before the live tick runs.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { isDatabaseUnavailable } from '../../store/db-errors.js';
import {
  failedResult,
  type CollectionContext,
  type CollectionResult,
  type CollectorKind,
} from '../types.js';
import { capturePbs } from './capture.js';
import { listCaptures, writeCapture } from './capture-file.js';
import { replaySpool, type RunCollectionFn } from './replay.js';

export interface OutageGuardOptions {
  run: RunCollectionFn;
  /** the outage spool folder (`<spool_dir>/outage`) */
  dir: string;
  maxBytes: number;
  /** how long the probe may wait for an answer (default 5 s) */
  probeTimeoutMs?: number;
  /** the probe (default probeDatabase); null = the database answers */
  probe?: (db: Kysely<Database>, timeoutMs: number) => Promise<string | null>;
}

export interface OutageSpoolStatus {
  dir: string;
  /** captures waiting for the database */
  captures: number;
  bytes: number;
  maxBytes: number;
  /** captures not written because the spool was full, since the daemon started */
  refused: number;
  /** captures replayed since the daemon started */
  replayed: number;
}

export interface OutageGuard {
  /** runs one tick: probe, replay what waits, the live collectors; spools when the database is away */
  tick(ctx: CollectionContext, kinds: CollectorKind[]): Promise<CollectionResult[]>;
  /** the spool as of the end of the last tick */
  status(): OutageSpoolStatus;
}

const MESSAGE_LOST =
  'job final states still come back through the incremental `qselect -x` once the database returns, if the outage is shorter than PBS job_history_duration; node, queue, system and reservation snapshots and exact transition times of this period are lost';

/** Resolves null when the database answers `select 1` in time, else the reason it did not. */
export async function probeDatabase(
  db: Kysely<Database>,
  timeoutMs: number,
): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`database unavailable: no answer to a probe within ${timeoutMs} ms`),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      sql`select 1`.execute(db).then(
        () => null,
        (err: unknown) =>
          (err instanceof Error ? err.message : String(err)) || 'database probe failed',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the guard for one daemon (its memory: the last instant finished jobs are covered to). */
export function createOutageGuard(opts: OutageGuardOptions): OutageGuard {
  const probeTimeoutMs = opts.probeTimeoutMs ?? 5_000;
  let jobsCoveredTo: number | null = null;
  let refused = 0;
  let replayed = 0;
  let full = false;
  let last: Pick<OutageSpoolStatus, 'captures' | 'bytes'> = { captures: 0, bytes: 0 };

  const capture = async (
    ctx: CollectionContext,
    kinds: CollectorKind[],
    reason: string,
  ): Promise<string> => {
    const atMs = ctx.clock.nowMs();
    try {
      const { capture: cap, skipped } = await capturePbs(ctx.pbs, kinds, jobsCoveredTo, atMs);
      if (Object.keys(skipped).length > 0)
        ctx.logger.error(
          { skipped },
          'database unavailable and PBS failed some listings: those collectors of this tick are lost',
        );
      const w = await writeCapture(opts.dir, cap, opts.maxBytes);
      if (!w.written) {
        refused += 1;
        const fields = { kinds, usedBytes: w.used, maxBytes: opts.maxBytes, refused };
        if (!full)
          ctx.logger.error(
            fields,
            `outage spool full: PBS captures are no longer kept; ${MESSAGE_LOST}`,
          );
        else ctx.logger.debug(fields, 'outage spool full: capture not kept');
        full = true;
        return 'outage spool full: this capture is lost';
      }
      full = false;
      if (cap.kinds.includes('jobs')) jobsCoveredTo = Math.floor(atMs / 1000);
      ctx.logger.warn(
        { reason, kinds: cap.kinds, file: w.file, bytes: w.bytes },
        'database unavailable: PBS state captured to the outage spool for replay',
      );
      return `PBS state spooled to ${w.file}`;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      ctx.logger.error(
        { reason, kinds, err: msg },
        'database unavailable and PBS could not be captured: this tick is lost',
      );
      return `PBS capture failed: ${msg}`;
    }
  };

  const spoolTick = async (ctx: CollectionContext, kinds: CollectorKind[], reason: string) => {
    const startedAt = ctx.clock.now();
    const note = await capture(ctx, kinds, reason);
    return kinds.map((k) =>
      failedResult(k, startedAt * 1000, 0, `database unavailable (${reason}); ${note}`),
    );
  };

  const tickInner = async (ctx: CollectionContext, kinds: CollectorKind[]) => {
    const down = await (opts.probe ?? probeDatabase)(ctx.db, probeTimeoutMs);
    if (down) return spoolTick(ctx, kinds, down);
    if ((await listCaptures(opts.dir)).length > 0) {
      const r = await replaySpool(opts.dir, ctx, opts.run);
      replayed += r.replayed;
      if (r.replayed > 0 || r.quarantined > 0)
        ctx.logger.info(
          { replayed: r.replayed, quarantined: r.quarantined, stoppedBy: r.stoppedBy },
          'outage spool replayed',
        );
      if (r.stoppedBy === 'aborted') return [];
      if (r.stoppedBy) return spoolTick(ctx, kinds, r.stoppedBy);
    }
    const results = await opts.run(ctx, kinds);
    for (const r of results)
      if (r.kind === 'jobs' && r.status !== 'failed') jobsCoveredTo = r.startedAt;
    const lost = results.filter((r) => r.status === 'failed' && isDatabaseUnavailable(r.error));
    if (lost.length === 0 || ctx.signal?.aborted) return results;
    const note = await capture(
      ctx,
      lost.map((r) => r.kind),
      lost[0]!.error ?? 'database unavailable',
    );
    return results.map((r) => (lost.includes(r) ? { ...r, error: `${r.error}; ${note}` } : r));
  };

  return {
    async tick(ctx, kinds) {
      try {
        return await tickInner(ctx, kinds);
      } finally {
        const files = await listCaptures(opts.dir);
        last = { captures: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0) };
      }
    },
    status: () => ({ dir: opts.dir, ...last, maxBytes: opts.maxBytes, refused, replayed }),
  };
}
