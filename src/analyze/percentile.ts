/**
 * Percentiles by the nearest-rank definition: for n sorted values, the p-th percentile is the
 * value at rank ceil(p/100 · n) (1-based; rank 1 for p = 0). Every exact percentile in the
 * analysis uses this definition, and the tests compute theirs the same way.
 */

/** Nearest-rank percentile of values already sorted ascending; null when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1] as number;
}

/** Summary statistics of a list of numbers (any order): count, mean, p50, p90, p99, max. */
export interface Summary {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** Summarises `values` with nearest-rank percentiles. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  return {
    count: n,
    mean: n ? sum / n : null,
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99),
    max: n ? (sorted[n - 1] as number) : null,
  };
}
