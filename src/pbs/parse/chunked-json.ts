/**
 * JSON.parse of a large PBS document a group of entries at a time, so the whole output never exists
 * as one JavaScript string: for 10,000 jobs that string is as large as the input (44 MB) and, being
 * garbage only after the parse, it pushed peak memory past 4× the input.
 *
 * PBS prints `-F json` with 4-space indents: `{ …header…, "Jobs":{ "ID":{ … }, … } }`, each entry of the
 * last member opening on `\n        "ID":`. A JSON string cannot hold a raw newline, so in valid JSON
 * that marker is structure; a group runs from one such entry start to the comma before a later one.
 * Each piece is checked by JSON.parse (the header and closing text together, and every group wrapped
 * in braces); a cut anywhere but between two entries leaves a piece unbalanced, which does not parse.
 * Valid pieces make a valid whole with the same value (later duplicate keys win, as in JSON.parse), so
 * the result always equals JSON.parse of the whole text. Any other layout, or any piece that does not
 * parse, returns null and the caller parses the whole text instead.
 */

const ENTRY_OPEN = Buffer.from('\n        "');
/** below this size the whole-text parse costs little memory: not worth the pieces */
const MIN_CHUNKED_BYTES = 1 << 20;
/**
 * Bytes per JSON.parse call: large enough that the calls cost nothing beside the parse (one per
 * entry made the fast path 1.35× JSON.parse), small enough that each piece's text is short-lived.
 */
const GROUP_BYTES = 256 << 10;

/** Buffer's own UTF-8 slice decoder skips toString's argument checks (undocumented but long stable). */
type SliceBuffer = Buffer & { utf8Slice?(start: number, end: number): string };

/** bytes [start, end) of `b` as text (`b` is known to be valid UTF-8) */
function text(b: SliceBuffer, start: number, end: number): string {
  return b.utf8Slice ? b.utf8Slice(start, end) : b.toString('utf8', start, end);
}

function isWs(c: number | undefined): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * Parses valid-UTF-8 PBS JSON a group of entries at a time (`groupBytes` each, cut at an entry
 * start); null when the layout is not PBS's or any piece is invalid. Inputs under `minBytes` are
 * left to a whole-text parse.
 */
export function parseChunked(
  b: Buffer,
  minBytes = MIN_CHUNKED_BYTES,
  groupBytes = GROUP_BYTES,
): unknown {
  if (b.length < minBytes) return null;
  const at = b.indexOf(ENTRY_OPEN);
  if (at < 0) return null;
  // The header ends with the container's opening brace: `…"Jobs":{`.
  let headEnd = at;
  while (headEnd > 0 && isWs(b[headEnd - 1])) headEnd--;
  if (b[headEnd - 1] !== 123) return null;
  const head = text(b, 0, headEnd);
  const container = /"((?:[^"\\]|\\.)*)"\s*:\s*\{$/.exec(head);
  if (!container) return null;
  // The container must be the root's last member: the text after the entries closes both.
  let close = b.length;
  for (let brace = 0; brace < 2; brace++) {
    close--;
    while (close > at && isWs(b[close])) close--;
    if (b[close] !== 125) return null; // `}`
  }
  let end = close;
  while (end > at && isWs(b[end - 1])) end--;
  try {
    const root: unknown = JSON.parse(`${head}${text(b, close, b.length)}`);
    const name = JSON.parse(`"${container[1]}"`) as string;
    if (typeof root !== 'object' || root === null || !Object.hasOwn(root, name)) return null;
    const into = (root as Record<string, unknown>)[name];
    if (typeof into !== 'object' || into === null || Array.isArray(into)) return null;
    if (Object.keys(into).length > 0) return null;
    const target = into as Record<string, unknown>;
    for (let start = at; start < end;) {
      // cut at the first entry start past `groupBytes`: the piece before it ends with `,`
      const next = start + groupBytes < end ? b.indexOf(ENTRY_OPEN, start + groupBytes) : -1;
      let stop = next < 0 || next >= end ? end : next;
      if (stop !== end) {
        while (stop > start && isWs(b[stop - 1])) stop--;
        if (b[stop - 1] !== 44) return null; // `,`
        stop--;
      }
      const group: unknown = JSON.parse(`{${text(b, start, stop)}}`);
      if (typeof group !== 'object' || group === null) return null;
      for (const key of Object.keys(group)) {
        const value = (group as Record<string, unknown>)[key];
        // `__proto__` from JSON is an own key, not the prototype
        if (key === '__proto__') {
          Object.defineProperty(target, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else target[key] = value;
      }
      start = stop === end ? end : next;
    }
    return root;
  } catch {
    return null;
  }
}
