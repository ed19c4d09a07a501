/**
 * A capture: what PBS showed at one instant while the database was unavailable, as parsed results,
 * enough to run the given collectors later as if they had run then (see snapshot-client.ts).
 */
import type { PbsClient } from '../../pbs/client-types.js';
import type { Job, Node, Parsed, Queue, Reservation, Server } from '../../pbs/types.js';
import { emptyParsed, mergeParsed } from '../../pbs/merge-parsed.js';
import { COLLECTOR_KINDS, type CollectorKind } from '../types.js';
import { chunks } from '../num.js';
import { FULL_DUMP_THRESHOLD, MODIFIED_SAFETY_MARGIN } from '../jobs-collector.js';

export const CAPTURE_VERSION = 1;

export interface JobsCapture {
  /** `qstat -f -t`: live jobs and subjobs */
  live: Parsed<Job>;
  /** finished jobs modified since the reference time, or every job PBS holds when fullDump */
  finished: Parsed<Job>;
  /** finished came from one `qstat -x -t` of everything PBS holds (no reference time, or many ids) */
  fullDump: boolean;
}

export interface Capture {
  version: number;
  /** order of captures: monotonic, immune to clock jumps */
  seq: number;
  /** epoch ms of the capture (the daemon's clock) */
  capturedAtMs: number;
  /** the collectors to replay from it */
  kinds: CollectorKind[];
  server: Parsed<Server>;
  jobs?: JobsCapture;
  nodes?: Parsed<Node>;
  queues?: Parsed<Queue>;
  reservations?: Parsed<Reservation>;
}

/** Ids per call when fetching finished jobs by id (the client runs one command per id). */
const ID_BATCH = 20;

/** A capture and the collectors left out of it because PBS failed their listing. */
export interface CaptureOutcome {
  capture: Omit<Capture, 'seq'>;
  skipped: Partial<Record<CollectorKind, string>>;
}

/**
 * Asks PBS for what `kinds` need. `reference` (epoch s) is the last instant whose finished jobs are
 * already covered (the last successful jobs run, or the previous capture); null = unknown, so every
 * job PBS holds is taken. A listing that fails leaves its collectors out (the others are kept);
 * throws when the server or every listing fails.
 */
export async function capturePbs(
  pbs: PbsClient,
  kinds: CollectorKind[],
  reference: number | null,
  capturedAtMs: number,
): Promise<CaptureOutcome> {
  const capture: Omit<Capture, 'seq'> = {
    version: CAPTURE_VERSION,
    capturedAtMs,
    kinds: [],
    server: await pbs.server(),
  };
  const skipped: CaptureOutcome['skipped'] = {};
  let firstError: unknown = null;
  const take = async (needs: CollectorKind[], fetch: () => Promise<void>) => {
    const wanted = needs.filter((k) => kinds.includes(k));
    if (wanted.length === 0) return;
    try {
      await fetch();
      capture.kinds.push(...wanted);
    } catch (err) {
      firstError ??= err;
      for (const k of wanted) skipped[k] = err instanceof Error ? err.message : String(err);
    }
  };
  await take(['jobs'], async () => void (capture.jobs = await captureJobs(pbs, reference)));
  await take(['nodes', 'system'], async () => void (capture.nodes = await pbs.nodes()));
  await take(['queues'], async () => void (capture.queues = await pbs.queues()));
  await take(['reservations'], async () => void (capture.reservations = await pbs.reservations()));
  pbs.takeTimings();
  if (capture.kinds.length === 0 && firstError) throw firstError;
  const taken = new Set(capture.kinds);
  capture.kinds = COLLECTOR_KINDS.filter((k) => taken.has(k));
  return { capture, skipped };
}

async function captureJobs(pbs: PbsClient, reference: number | null): Promise<JobsCapture> {
  const live = await pbs.jobs({ subjobs: true });
  const full = async (): Promise<JobsCapture> => ({
    live,
    finished: await pbs.jobs({ finished: true, subjobs: true }),
    fullDump: true,
  });
  if (reference === null) return full();
  const liveIds = new Set(live.items.map((j) => j.jobId));
  const ids = (await pbs.selectModifiedSince(reference - MODIFIED_SAFETY_MARGIN)).filter(
    (id) => !liveIds.has(id),
  );
  if (ids.length > FULL_DUMP_THRESHOLD) return full();
  const parts: Parsed<Job>[] = [];
  for (const batch of chunks(ids, ID_BATCH))
    parts.push(await pbs.jobs({ finished: true, subjobs: true, ids: batch }));
  return {
    live,
    finished: parts.length > 0 ? mergeParsed(parts) : emptyParsed<Job>(),
    fullDump: false,
  };
}
