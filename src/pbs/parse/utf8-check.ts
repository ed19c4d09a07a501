/**
 * UTF-8 validation of byte ranges inside a large buffer. `isUtf8(buf.subarray(…))` costs about 10 µs
 * a call (a view object plus a native round trip), which dominated reading Latin-1 job names; these
 * loops validate a short range in place with the same rules (no overlong forms, no surrogates, ≤ U+10FFFF).
 */

/** Whether bytes [start, end) of `b` are valid UTF-8. */
export function isUtf8Range(b: Uint8Array, start: number, end: number): boolean {
  return utf8RunsValid(b, [start, end]);
}

/** Whether the concatenation of the byte runs `[s0, e0, s1, e1, …]` of `b` is valid UTF-8. */
export function utf8RunsValid(b: Uint8Array, runs: readonly number[]): boolean {
  // `need` continuation bytes still expected; `lo`/`hi` bound the next one (tighter after E0, ED, F0, F4).
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1]!;
    for (let i = runs[r]!; i < end; i++) {
      const c = b[i]!;
      if (need > 0) {
        if (c < lo || c > hi) return false;
        need--;
        lo = 0x80;
        hi = 0xbf;
        continue;
      }
      if (c < 0x80) continue;
      if (c >= 0xc2 && c <= 0xdf) need = 1;
      else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        if (c === 0xe0) lo = 0xa0;
        else if (c === 0xed) hi = 0x9f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        if (c === 0xf0) lo = 0x90;
        else if (c === 0xf4) hi = 0x8f;
      } else return false;
    }
  }
  return need === 0;
}
