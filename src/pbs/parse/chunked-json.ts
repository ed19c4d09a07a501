/**
 * JSON.parse of a large PBS document one entry at a time, so the whole output never exists as one
 * JavaScript string: for 10,000 jobs that string is as large as the input (44 MB) and, being garbage
 * only after the parse, it pushed peak memory past 4× the input.
 *
 * PBS prints `-F json` with 4-space indents: `{ …header…, "Jobs":{ "ID":{ … }, … } }`, each entry of the
 * last member opening on `\n        "ID":` and closing on `\n        }`. A JSON string cannot hold a raw
 * newline, so in valid JSON these markers are structure. Each piece is checked by JSON.parse (the
 * header and closing text together, every key, every entry), and valid pieces make a valid whole with
 * the same value, so the result always equals JSON.parse of the whole text. Any other layout, or any
 * piece that does not parse, returns null and the caller parses the whole text instead.
 */

import { setOwn } from './own-property.js';

const ENTRY_OPEN = Buffer.from('\n        "');
/** an entry's closing line, `\n` + this many spaces + `}` */
const ENTRY_INDENT = 8;
const NEWLINE = 10;
const SPACE = 32;
const CLOSE_BRACE = 125;
const QUOTE = 34;
/** below this size the whole-text parse costs little memory: not worth the pieces */
const MIN_CHUNKED_BYTES = 1 << 20;

/** Buffer's own UTF-8 slice decoder skips toString's argument checks (undocumented but long stable). */
type SliceBuffer = Buffer & { utf8Slice?(start: number, end: number): string };

/** bytes [start, end) of `b` as text (`b` is known to be valid UTF-8) */
function text(b: SliceBuffer, start: number, end: number): string {
  return b.utf8Slice ? b.utf8Slice(start, end) : b.toString('utf8', start, end);
}

function isWs(c: number | undefined): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** whether `b[at]` is preceded by a newline and exactly ENTRY_INDENT spaces */
function atEntryIndent(b: Buffer, at: number): boolean {
  if (at <= ENTRY_INDENT || b[at - ENTRY_INDENT - 1] !== NEWLINE) return false;
  for (let k = 1; k <= ENTRY_INDENT; k++) if (b[at - k] !== SPACE) return false;
  return true;
}

/**
 * The offset of the `}` that closes the entry opened at `from` (on a line of its own at the entries'
 * indent), or -1. `indexOf` of one byte is memchr: a tenth of the time of searching the
 * ten-byte closing line, whose search crawled through the JSON's runs of spaces (70 ms on 44 MB).
 */
function entryClose(b: Buffer, from: number): number {
  for (let i = b.indexOf(CLOSE_BRACE, from); i >= 0; i = b.indexOf(CLOSE_BRACE, i + 1)) {
    if (atEntryIndent(b, i)) return i;
  }
  return -1;
}

/** the offset just past the string whose opening quote is at `q` (JSON.parse checks what lies between) */
function stringEnd(b: Buffer, q: number): number {
  let i = q + 1;
  for (; i < b.length; i++) {
    const c = b[i];
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return i;
}

/**
 * Parses valid-UTF-8 PBS JSON entry by entry; null when the layout is not PBS's or any piece is
 * invalid. Inputs under `minBytes` are left to a whole-text parse.
 */
export function parseChunked(b: Buffer, minBytes = MIN_CHUNKED_BYTES): unknown {
  if (b.length < minBytes) return null;
  let at = b.indexOf(ENTRY_OPEN);
  if (at < 0) return null;
  // The header ends with the container's opening brace: `…"Jobs":{`.
  let headEnd = at;
  while (headEnd > 0 && isWs(b[headEnd - 1])) headEnd--;
  if (b[headEnd - 1] !== 123) return null;
  const head = text(b, 0, headEnd);
  const container = /"((?:[^"\\]|\\.)*)"\s*:\s*\{$/.exec(head);
  if (!container) return null;
  const entries: [string, unknown][] = [];
  let tail = -1;
  try {
    while (at >= 0) {
      const keyStart = at + ENTRY_OPEN.length - 1;
      const keyEnd = stringEnd(b, keyStart);
      let open = keyEnd;
      while (isWs(b[open])) open++;
      if (b[open] !== 58) return null; // `:`
      open++;
      while (isWs(b[open])) open++;
      if (b[open] !== 123) return null; // the entry is an object
      const close = entryClose(b, open);
      if (close < 0) return null;
      const key: unknown = JSON.parse(text(b, keyStart, keyEnd));
      if (typeof key !== 'string') return null;
      const end = close + 1;
      entries.push([key, JSON.parse(text(b, open, end))]);
      // Between entries: only `,` and white space; else this was the last entry.
      let i = end;
      while (isWs(b[i])) i++;
      if (b[i] !== 44) {
        tail = end;
        break;
      }
      // The next entry opens right after the comma, on a line of its own at the same indent.
      let j = i + 1;
      while (isWs(b[j])) j++;
      if (b[j] !== QUOTE || !atEntryIndent(b, j)) return null;
      at = j - ENTRY_INDENT - 1;
    }
    if (tail < 0) return null;
    // The container must be the root's last member: the text after the entries closes both.
    const rest = text(b, tail, b.length);
    if (!/^\s*\}\s*\}\s*$/.test(rest)) return null;
    const root: unknown = JSON.parse(`${head}${rest}`);
    const name = JSON.parse(`"${container[1]}"`) as string;
    if (typeof root !== 'object' || root === null || !Object.hasOwn(root, name)) return null;
    const into = (root as Record<string, unknown>)[name];
    if (typeof into !== 'object' || into === null || Array.isArray(into)) return null;
    if (Object.keys(into).length > 0) return null;
    const target = into as Record<string, unknown>;
    for (const [key, value] of entries) setOwn(target, key, value);
    return root;
  } catch {
    return null;
  }
}
