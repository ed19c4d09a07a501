/** What the harness gives each collector: timed, retried fetches and a stop check. */
import type { Parsed } from '../pbs/types.js';
import type { RecordCounts, StepTimer } from './types.js';

export interface CollectorEnv {
  timer: StepTimer;
  /** runs a PBS call with retries (and spooling of unreadable output), timed as `fetch` */
  fetch<T>(fn: () => Promise<T>): Promise<T>;
  /** counts the tolerant reader's repairs of a parsed output */
  parsed<T>(p: Parsed<T>): Parsed<T>;
  /** throws when the collector ran past its timeout: nothing is written after that */
  checkTime(): void;
}

export interface CollectorOutcome {
  serverId: number | null;
  counts: RecordCounts;
  status?: 'ok' | 'partial';
}
