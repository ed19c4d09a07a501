/** The PBS client: what the rest of pbs-monitor asks of PBS. Implemented in client.ts over the runner. */
import type { Job, Node, Parsed, Queue, Reservation, Server } from './types.js';

export interface JobQuery {
  /** include finished / moved jobs (`qstat -x`) */
  finished?: boolean;
  /** include array subjobs (`qstat -t`) */
  subjobs?: boolean;
  /** only these job ids */
  ids?: string[];
  /** only this user's jobs (`qstat -u`) */
  user?: string;
}

/** Timing of one PBS command, for the collection log's per-step durations. */
export interface CommandTiming {
  command: string;
  ms: number;
  bytes: number;
}

export interface PbsClient {
  jobs(q?: JobQuery): Promise<Parsed<Job>>;
  nodes(opts?: { vnodes?: boolean }): Promise<Parsed<Node>>;
  queues(): Promise<Parsed<Queue>>;
  server(): Promise<Parsed<Server>>;
  reservations(): Promise<Parsed<Reservation>>;
  /**
   * Ids of jobs (finished ones included) modified after `since` (epoch seconds), via
   * `qselect -x -t m.gt.<CCYYMMDDhhmm.SS>`: cheap, so a collector fetches only what changed.
   */
  selectModifiedSince(since: number): Promise<string[]>;
  /** timings of the commands run so far (drained by the caller) */
  takeTimings(): CommandTiming[];
}
