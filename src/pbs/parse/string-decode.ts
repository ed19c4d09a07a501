/** Decoding PBS JSON strings byte by byte: escapes PBS got wrong, control bytes, Latin-1 mixed with UTF-8. */
import { quoteCloses } from './string-end.js';
import { isUtf8Range, utf8RunsValid } from './utf8-check.js';

const QUOTE = 34;
const BACKSLASH = 92;

/** What the string reader needs from the tolerant reader. */
export interface StringReader {
  readonly b: Buffer;
  readonly n: number;
  /** the whole input is valid UTF-8 */
  readonly utf8: boolean;
  i: number;
  ascii(start: number, end: number): string;
  utf8Text(start: number, end: number): string;
  repair(kind: string, at: number, detail?: string): void;
  fail(message: string, at?: number): never;
}

/** one raw run of a string holding bytes ≥ 0x80 */
export function decodeRange(r: StringReader, start: number, end: number): string {
  if (r.utf8 || isUtf8Range(r.b, start, end)) return r.utf8Text(start, end);
  r.repair('latin1', start, 'string is not UTF-8; read as Latin-1');
  return r.ascii(start, end);
}

/** The careful string reader: escapes, control bytes, stray quotes, mixed encodings; `from` is where the fast scan stopped. */
export function readStringSlow(
  r: StringReader,
  start: number,
  from: number,
  isKey: boolean,
  inArray: boolean,
): string {
  const b = r.b;
  // Raw byte runs ([start, end) pairs) and decoded escapes (strings), in order.
  const parts: (string | number)[] = [];
  let seg = start;
  const raw = (end: number): void => {
    if (end > seg) parts.push(seg, end);
  };
  for (let i = from; ; i++) {
    if (i >= r.n) r.fail('unexpected end of output inside a string (truncated?)', i);
    const c = b[i]!;
    if (c === QUOTE) {
      if (quoteCloses(b, r.n, i, isKey, inArray, false)) {
        raw(i);
        r.i = i + 1;
        return join(r, parts, start);
      }
      r.repair('unescaped-quote', i);
      continue;
    }
    if (c === BACKSLASH) {
      raw(i);
      if (i + 1 >= r.n) r.fail('unexpected end of output inside a string (truncated?)', i + 1);
      const e = b[i + 1];
      let out: string | null = null;
      let width = 2;
      switch (e) {
        case QUOTE:
          // Up to 23.06 backslashes are copied through, so a value ending in `\` looks like `\"`.
          if (!isKey && quoteCloses(b, r.n, i + 1, false, inArray, true)) {
            parts.push('\\');
            r.repair('bad-escape', i, 'trailing backslash');
            r.i = i + 2;
            return join(r, parts, start);
          }
          out = '"';
          break;
        case BACKSLASH:
          out = '\\';
          break;
        case 47:
          out = '/';
          break;
        case 98:
          out = '\b';
          break;
        case 102:
          out = '\f';
          break;
        case 110:
          out = '\n';
          break;
        case 114:
          out = '\r';
          break;
        case 116:
          out = '\t';
          break;
        case 117: {
          const hex = r.ascii(i + 2, Math.min(i + 6, r.n));
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            out = String.fromCharCode(parseInt(hex, 16));
            width = 6;
          }
          break;
        }
      }
      if (out === null) {
        // `\'`, `\,`, `MYDOMAIN\myuser`: PBS meant a literal backslash; keep it, and read on.
        r.repair('bad-escape', i, r.ascii(i, i + 2));
        parts.push('\\');
        width = 1;
      } else parts.push(out);
      i += width - 1;
      seg = i + 1;
      continue;
    }
    if (c < 0x20) {
      if (i + 1 < r.n && b[i + 1]! >= 0x80) {
        // PBS 20–23.06 mangle each byte ≥ 0x80 into a control byte + the byte: drop the control byte.
        raw(i);
        r.repair('mangled-byte', i);
        seg = i + 1;
      } else {
        r.repair('control-char', i, `0x${c.toString(16).padStart(2, '0')}`);
      }
    }
  }
}

/**
 * Joins a string's raw runs and escapes. Raw bytes are UTF-8 when valid for the whole string
 * (runs split by a dropped mangling byte are decoded together), else Latin-1.
 */
function join(r: StringReader, parts: (string | number)[], start: number): string {
  const runs: number[] = [];
  let high = false;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (typeof p !== 'number') continue;
    const end = parts[++k] as number;
    for (let j = p; j < end && !high; j++) if (r.b[j]! >= 0x80) high = true;
    runs.push(p, end);
  }
  const asUtf8 = high && (r.utf8 || utf8RunsValid(r.b, runs));
  if (high && !asUtf8) r.repair('latin1', start, 'string is not UTF-8; read as Latin-1');
  // ASCII and Latin-1 decode byte by byte, so each run can be sliced on its own.
  if (!asUtf8) {
    let out = '';
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k] as string | number;
      out += typeof p === 'number' ? r.ascii(p, parts[++k] as number) : p;
    }
    return out;
  }
  let out = '';
  let pending: Buffer[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    out += buf.toString('utf8');
    pending = [];
  };
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k] as string | number;
    if (typeof p === 'number') pending.push(r.b.subarray(p, parts[++k] as number));
    else {
      flush();
      out += p;
    }
  }
  flush();
  return out;
}
