/** Which config key sets each collector's interval (snapshot_interval drives the 'system' collector). */
import type { Config } from '../config/schema.js';
import type { CollectorKind } from './collect-contract.js';
import type { Intervals } from './scheduler.js';

export const INTERVAL_KEYS: Record<CollectorKind, keyof Config['collection']> = {
  jobs: 'job_interval',
  nodes: 'node_interval',
  queues: 'queue_interval',
  system: 'snapshot_interval',
  reservations: 'reservation_interval',
};

/** The interval in seconds of every collector, from the config. */
export function intervalsOf(config: Config): Record<CollectorKind, number> {
  const out = {} as Record<CollectorKind, number>;
  for (const [kind, key] of Object.entries(INTERVAL_KEYS) as [
    CollectorKind,
    keyof Config['collection'],
  ][]) {
    out[kind] = config.collection[key] as number;
  }
  return out;
}

/** Interval maps are equal (same kinds, same seconds). */
export function sameIntervals(a: Intervals, b: Intervals): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return (
    ka.join() === kb.join() && ka.every((k) => a[k as CollectorKind] === b[k as CollectorKind])
  );
}
