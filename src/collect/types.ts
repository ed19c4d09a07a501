/** Shared types of the collection engine. */
import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import type { PbsClient } from '../pbs/client-types.js';
import type { Database } from '../store/schema.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

export type CollectorKind = 'jobs' | 'nodes' | 'queues' | 'system' | 'reservations';
export const COLLECTOR_KINDS: CollectorKind[] = [
  'jobs',
  'nodes',
  'queues',
  'system',
  'reservations',
];

export interface CollectionContext {
  db: Kysely<Database>;
  pbs: PbsClient;
  clock: Clock;
  logger: Logger;
  config: Config;
  signal?: AbortSignal;
  spoolDir?: string;
  /** set while replaying an outage capture: its instant (epoch s), noted in each log row */
  replayedFrom?: number;
}

export interface CollectionResult {
  kind: CollectorKind;
  status: 'ok' | 'partial' | 'failed';
  startedAt: number;
  durationMs: number;
  itemsSeen: number;
  rowsInserted: number;
  rowsUpdated: number;
  transitions: number;
  repairs: number;
  error: string | null;
  /** ms: pbs, parse, compare, write */
  steps: Record<string, number>;
  /** set when the failure was PBS being unreachable (down server, missing binary, timeout) */
  pbsUnavailable?: boolean;
}

/** A result for a run that threw before the collectors could report. */
export function failedResult(
  kind: CollectorKind,
  startedAtMs: number,
  durationMs: number,
  error: string,
): CollectionResult {
  return {
    kind,
    status: 'failed',
    startedAt: Math.floor(startedAtMs / 1000),
    durationMs,
    itemsSeen: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    transitions: 0,
    repairs: 0,
    error,
    steps: {},
  };
}

/** Counts a record step returns. */
export interface RecordCounts {
  itemsSeen: number;
  rowsInserted: number;
  rowsUpdated: number;
  transitions: number;
  /** notes for the log's details JSON */
  notes: Record<string, unknown>;
}

export const emptyCounts = (): RecordCounts => ({
  itemsSeen: 0,
  rowsInserted: 0,
  rowsUpdated: 0,
  transitions: 0,
  notes: {},
});

/** Step timer: accumulates ms per named step. */
export class StepTimer {
  readonly steps: Record<string, number> = { pbs: 0, parse: 0, compare: 0, write: 0 };
  constructor(private readonly clock: { nowMs(): number } = { nowMs: () => performance.now() }) {}
  /** runs fn and adds its wall time to `step` */
  async time<T>(step: string, fn: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.steps[step] = (this.steps[step] ?? 0) + Math.round((performance.now() - t0) * 10) / 10;
    }
  }
  add(step: string, ms: number): void {
    this.steps[step] = (this.steps[step] ?? 0) + Math.round(ms * 10) / 10;
  }
}
