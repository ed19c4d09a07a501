/** Independent computations of the expected figures, in plain TS over the generated jobs. */
import type { SyntheticJob } from '../../../src/analyze/synthetic.js';

/** Nearest-rank percentile (rank ceil(p/100·n), 1-based), computed the textbook way. */
export function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1]!;
}

export function inWindow(t: number | null | undefined, from: number, to: number): t is number {
  return t !== null && t !== undefined && t >= from && t < to;
}

/** Waits of jobs started in [from, to) on the given basis. */
export function waitsOf(
  jobs: SyntheticJob[],
  from: number,
  to: number,
  basis: 'eligible' | 'queued',
  pred: (j: SyntheticJob) => boolean = () => true,
): number[] {
  const out: number[] = [];
  for (const j of jobs) {
    const b = basis === 'eligible' ? j.eligible_time : j.queue_time;
    if (!inWindow(j.start_time, from, to) || b == null || j.start_time < b || !pred(j)) continue;
    out.push(j.start_time - b);
  }
  return out;
}

export function runtimeNodeSeconds(j: SyntheticJob): number {
  if (j.start_time == null || j.end_time == null || j.end_time < j.start_time) return 0;
  return (j.nodes ?? 1) * (j.end_time - j.start_time);
}
