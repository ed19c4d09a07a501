/**
 * A PbsClient that answers every call from one capture, so the real collectors can replay it:
 * they ask what they always ask and get what PBS showed at the capture's instant.
 */
import type { CommandTiming, JobQuery, PbsClient } from '../../pbs/client-types.js';
import type { Job, Node, Parsed, Queue, Reservation, Server } from '../../pbs/types.js';
import type { Capture } from './capture.js';

/** A listing the capture does not hold: its collector was not due when it was taken. */
export class NotCapturedError extends Error {}

function need<T>(p: Parsed<T> | undefined, what: string): Parsed<T> {
  if (!p) throw new NotCapturedError(`the capture holds no ${what}`);
  return p;
}

const withItems = <T>(p: Parsed<T>, items: T[]): Parsed<T> => ({ ...p, items });

export class SnapshotPbsClient implements PbsClient {
  constructor(private readonly capture: Capture) {}

  /** live jobs, then the finished ones (fetched later, so newer where an id is in both) */
  private everyJob(): Job[] {
    const j = this.capture.jobs;
    if (!j) throw new NotCapturedError('the capture holds no jobs');
    const byId = new Map<string, Job>();
    for (const x of j.live.items) byId.set(x.jobId, x);
    for (const x of j.finished.items) byId.set(x.jobId, x);
    return [...byId.values()];
  }

  async jobs(q: JobQuery = {}): Promise<Parsed<Job>> {
    const j = need(this.capture.jobs?.live, 'jobs');
    let items: Job[];
    if (q.ids) {
      // as `qstat [-x] [-t] ID…`: each id (full or short form), and with -t an array's subjobs
      const want = new Set(q.ids);
      items = (q.finished ? this.everyJob() : j.items).filter(
        (x) =>
          want.has(x.jobId) ||
          want.has(x.shortId) ||
          (q.subjobs === true && x.arrayParentId !== null && want.has(x.arrayParentId)),
      );
    } else items = q.finished ? this.everyJob() : j.items;
    if (!q.subjobs) items = items.filter((x) => x.arrayParentId === null);
    if (q.user) items = items.filter((x) => x.owner === q.user);
    return withItems(j, items);
  }

  async selectModifiedSince(since: number): Promise<string[]> {
    const j = this.capture.jobs;
    if (!j) throw new NotCapturedError('the capture holds no jobs');
    // a full dump holds old history too: only what changed after `since`, as qselect would say
    const finished = j.fullDump
      ? j.finished.items.filter((x) => x.mtime === null || x.mtime > since)
      : j.finished.items;
    return finished.map((x) => x.jobId);
  }

  async nodes(): Promise<Parsed<Node>> {
    return need(this.capture.nodes, 'nodes');
  }

  async queues(): Promise<Parsed<Queue>> {
    return need(this.capture.queues, 'queues');
  }

  async server(): Promise<Parsed<Server>> {
    return this.capture.server;
  }

  async reservations(): Promise<Parsed<Reservation>> {
    return need(this.capture.reservations, 'reservations');
  }

  takeTimings(): CommandTiming[] {
    return [];
  }
}
