/**
 * Replays the outage spool into the database, oldest capture first: the real collectors run over a
 * SnapshotPbsClient with the clock fixed at the capture's instant, so transitions get the time they
 * were observed and the stale-observation guard keeps their order. A capture is removed only once
 * every collector of it committed; a database failure stops the replay and keeps the rest.
 */
import type { Clock } from '../../util/clock.js';
import { isDatabaseUnavailable } from '../../store/db-errors.js';
import {
  COLLECTOR_KINDS,
  type CollectionContext,
  type CollectionResult,
  type CollectorKind,
} from '../types.js';
import {
  listCaptures,
  quarantine,
  readCapture,
  readDone,
  removeCapture,
  writeDone,
  type SpoolFile,
} from './capture-file.js';
import type { Capture } from './capture.js';
import { SnapshotPbsClient } from './snapshot-client.js';

export type RunCollectionFn = (
  ctx: CollectionContext,
  kinds: CollectorKind[],
) => Promise<CollectionResult[]>;

export interface ReplayOutcome {
  /** captures fully replayed and removed */
  replayed: number;
  /** captures moved to bad/ */
  quarantined: number;
  /** why the replay stopped early (a database error, or 'aborted'); null when the spool is empty */
  stoppedBy: string | null;
}

/** A clock stopped at one instant; sleeping returns at once (nothing to wait for in a replay). */
export function fixedClock(ms: number): Clock {
  return { nowMs: () => ms, now: () => Math.floor(ms / 1000), sleep: async () => undefined };
}

/** Replays every capture in `dir` through `run`. Never throws for a bad capture. */
export async function replaySpool(
  dir: string,
  ctx: CollectionContext,
  run: RunCollectionFn,
): Promise<ReplayOutcome> {
  const out: ReplayOutcome = { replayed: 0, quarantined: 0, stoppedBy: null };
  for (const file of await listCaptures(dir)) {
    let capture: Capture;
    try {
      capture = await readCapture(file.path);
    } catch (err) {
      const to = await quarantine(dir, file).catch(() => file.path);
      out.quarantined += 1;
      ctx.logger.error(
        { file: file.path, movedTo: to, err: (err as Error).message },
        'outage spool: unreadable capture moved aside, not replayed (PBS state of that instant is lost)',
      );
      continue;
    }
    const stopped = await replayOne(file, capture, ctx, run);
    if (stopped) {
      out.stoppedBy = stopped;
      return out;
    }
    await removeCapture(file.path);
    out.replayed += 1;
  }
  return out;
}

/** Replays the collectors of one capture not yet done; returns why it stopped, or null when done. */
async function replayOne(
  file: SpoolFile,
  capture: Capture,
  ctx: CollectionContext,
  run: RunCollectionFn,
): Promise<string | null> {
  const done = await readDone(file.path);
  const replayCtx: CollectionContext = {
    ...ctx,
    pbs: new SnapshotPbsClient(capture),
    clock: fixedClock(capture.capturedAtMs),
    replayedFrom: Math.floor(capture.capturedAtMs / 1000),
  };
  const at = new Date(capture.capturedAtMs).toISOString();
  for (const kind of COLLECTOR_KINDS.filter((k) => capture.kinds.includes(k) && !done.has(k))) {
    if (ctx.signal?.aborted) return 'aborted';
    const [r] = await run(replayCtx, [kind]);
    if (!r) return 'aborted';
    if (r.status === 'failed' && isDatabaseUnavailable(r.error))
      return r.error ?? 'database unavailable';
    if (r.status === 'failed')
      ctx.logger.error(
        { kind, capturedAt: at, err: r.error },
        'outage spool: replaying a capture failed for this collector (its data of that instant is lost)',
      );
    done.add(kind);
    await writeDone(file.path, done);
  }
  ctx.logger.info(
    { capturedAt: at, kinds: capture.kinds, seq: capture.seq },
    'outage spool: capture replayed',
  );
  return null;
}
