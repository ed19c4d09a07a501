/**
 * Short strings repeat across jobs (keys, `True`, queue, server and host names): a direct-mapped
 * cache keyed by the bytes' hash hands out one string for them, sparing the native slice call,
 * the allocation and the memory of every repeat. A slot holds the last string that hashed to it.
 */

/** strings up to this many bytes go through the cache */
export const MAX_CACHED_LENGTH = 48;
const SLOTS = 1 << 14;

export class StringCache {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(SLOTS);

  /** The string of ASCII bytes [start, end) of `b`, whose 31-based hash is `hash`; `make` decodes it. */
  get(
    b: Uint8Array,
    start: number,
    end: number,
    hash: number,
    make: (start: number, end: number) => string,
  ): string {
    const slot = (hash ^ (hash >>> 13)) & (SLOTS - 1);
    const known = this.slots[slot];
    if (known !== undefined && known.length === end - start) {
      let j = 0;
      while (j < known.length && known.charCodeAt(j) === b[start + j]) j++;
      if (j === known.length) return known;
    }
    const made = make(start, end);
    this.slots[slot] = made;
    return made;
  }
}
