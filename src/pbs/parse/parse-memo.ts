/**
 * Per-parse memo tables for attribute strings that recur across the jobs of one `qstat` output
 * (a node's exec_vnode chunk, a select statement). They live only as long as one parse, so
 * nothing is retained between collector runs; the cached values are frozen because every job
 * that repeats the string receives the same object.
 */

/** Memoises `compute` (which never returns undefined) by its string argument, holding at most `limit` entries. */
export class StringMemo<V> {
  private readonly map = new Map<string, V>();

  constructor(
    private readonly compute: (key: string) => V,
    private readonly limit = 50_000,
  ) {}

  get(key: string): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = this.compute(key);
      // A full table starts over rather than tracking recency: cheaper, and a bound is all we need.
      if (this.map.size >= this.limit) this.map.clear();
      this.map.set(key, v);
    }
    return v as V;
  }
}

/** Freezes an array of plain records and each record's `resources` map. */
export function freezeAll<T extends { resources: Record<string, string> }>(
  items: T[],
): readonly T[] {
  for (const it of items) {
    Object.freeze(it.resources);
    Object.freeze(it);
  }
  return Object.freeze(items);
}
