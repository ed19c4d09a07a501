/**
 * Fixed wait-time buckets shared by the daily rollups and the approximate percentiles.
 * Bucket i holds waits in [EDGES[i], EDGES[i+1]); the last bucket is open-ended.
 * Changing the edges invalidates stored rollups (recompute them with `refreshRollups`).
 */

/** Lower edges in seconds: 0, 1m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 18h, 1d, 1.5d, 2d, 3d, 4d, 7d, 14d. */
export const WAIT_BUCKET_EDGES: readonly number[] = [
  0, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 64800, 86400, 129600,
  172800, 259200, 345600, 604800, 1209600,
];

export const WAIT_BUCKET_COUNT = WAIT_BUCKET_EDGES.length;

/** Index of the bucket holding `waitS` (negative waits count in bucket 0). */
export function waitBucket(waitS: number): number {
  let lo = 0;
  let hi = WAIT_BUCKET_EDGES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (waitS >= (WAIT_BUCKET_EDGES[mid] as number)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A SQL CASE expression (text) mapping the integer expression `expr` to its bucket index: a
 * binary search (nested CASEs, 5 comparisons a row instead of up to 20).
 */
export function waitBucketSql(expr: string): string {
  const pick = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN ${expr} >= ${WAIT_BUCKET_EDGES[mid]} THEN ${pick(mid, hi)} ELSE ${pick(lo, mid - 1)} END`;
  };
  return pick(0, WAIT_BUCKET_EDGES.length - 1);
}

/** An empty histogram. */
export function emptyHistogram(): number[] {
  return new Array<number>(WAIT_BUCKET_COUNT).fill(0);
}

/** Parses a stored histogram (JSON array); tolerates short arrays from older edge sets. */
export function parseHistogram(text: string): number[] {
  const h = emptyHistogram();
  const arr: unknown = JSON.parse(text);
  if (Array.isArray(arr)) arr.forEach((v, i) => i < h.length && (h[i] = Number(v) || 0));
  return h;
}

/** Adds `b` into `a` (in place) and returns `a`. */
export function addHistogram(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] ?? 0);
  return a;
}

/**
 * Approximate nearest-rank percentile from a histogram: the upper edge of the bucket that holds
 * rank ceil(p/100·n) (so the true value is at most this), or the lower edge for the open last
 * bucket. Null when the histogram is empty.
 */
export function histogramPercentile(h: readonly number[], p: number): number | null {
  const n = h.reduce((s, v) => s + v, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i] as number;
    if (seen >= rank) {
      const upper = WAIT_BUCKET_EDGES[i + 1];
      return upper ?? (WAIT_BUCKET_EDGES[i] as number);
    }
  }
  return WAIT_BUCKET_EDGES[WAIT_BUCKET_EDGES.length - 1] as number;
}
