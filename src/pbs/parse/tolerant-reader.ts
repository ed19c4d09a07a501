/**
 * The tolerant PBS JSON reader: a single-pass, linear-time recursive-descent reader that accepts
 * everything JSON.parse accepts (with the same result) and repairs the defects real PBS versions print,
 * recording each repair. It runs only when JSON.parse fails or would lose data.
 */
import { isUtf8 } from 'node:buffer';
import { PbsOutputError } from '../errors.js';
import type { RawValue, Repair } from '../types.js';

const MAX_DEPTH = 256;
const MAX_STORED_REPAIRS = 10_000;
/** how far a closing-quote check may look for the next key (keeps the reader linear) */
const KEY_LOOKAHEAD = 4096;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBERISH = /^[+-]?[0-9A-Za-z_.+-]+$/;
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Comma = 44,
  Colon = 58,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  LBrace = 123,
  RBrace = 125,
}

/** Result of the tolerant reader. */
export interface TolerantResult {
  value: Record<string, RawValue>;
  repairs: Repair[];
}

/** Buffer's own slice decoders (undocumented but stable since Node 0.x) skip toString's argument checks. */
type SliceBuffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};
const HAS_SLICES = typeof (Buffer.prototype as Partial<SliceBuffer>).latin1Slice === 'function';

/**
 * Reads PBS JSON tolerantly, byte by byte: offsets are byte offsets, and each string is decoded on
 * its own (UTF-8 when valid, else Latin-1) so one mis-encoded job name cannot spoil the rest.
 */
export function readTolerant(input: string | Buffer, command: string): TolerantResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const reader = new Reader(bytes as SliceBuffer, isUtf8(bytes), command, input);
  try {
    return reader.readRoot();
  } catch (err) {
    if (err instanceof PbsOutputError) throw err;
    throw new PbsOutputError(
      `reader failure (${(err as Error).message})`,
      command,
      Math.min(reader.i, bytes.length),
      input,
    );
  }
}

function isWs(c: number): boolean {
  return c === Ch.Space || c === Ch.Lf || c === Ch.Tab || c === Ch.Cr;
}

class Reader {
  i = 0;
  readonly n: number;
  readonly repairs: Repair[] = [];
  private repairCount = 0;
  private depth = 0;

  constructor(
    readonly b: SliceBuffer,
    /** the whole input is valid UTF-8, so strings need no per-string check */
    readonly utf8: boolean,
    readonly command: string,
    readonly input: string | Buffer,
  ) {
    this.n = b.length;
  }

  ascii(start: number, end: number): string {
    return HAS_SLICES ? this.b.latin1Slice(start, end) : this.b.toString('latin1', start, end);
  }

  utf8Text(start: number, end: number): string {
    return HAS_SLICES ? this.b.utf8Slice(start, end) : this.b.toString('utf8', start, end);
  }

  fail(message: string, at = this.i): never {
    throw new PbsOutputError(message, this.command, Math.min(at, this.n), this.input);
  }

  repair(kind: string, at: number, detail?: string): void {
    this.repairCount++;
    if (this.repairs.length < MAX_STORED_REPAIRS) {
      const r: Repair = { kind, offset: at };
      if (detail !== undefined) r.detail = detail;
      this.repairs.push(r);
    }
  }

  skipWs(): void {
    const b = this.b;
    let i = this.i;
    while (i < this.n && isWs(b[i]!)) i++;
    this.i = i;
  }

  readRoot(): TolerantResult {
    const b = this.b;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      this.repair('bom', 0, 'UTF-8 byte order mark skipped');
      this.i = 3;
    }
    this.skipWs();
    if (this.i >= this.n) this.fail('empty output (no JSON)');
    if (b[this.i] !== Ch.LBrace) {
      // `qstat -u USER -f -F json` prints a text table first: skip to the first line opening an object.
      const start = this.i;
      let found = -1;
      let lineStart = true;
      for (let i = start; i < this.n; i++) {
        const c = b[i]!;
        if (c === Ch.Lf) lineStart = true;
        else if (lineStart && c === Ch.LBrace) {
          found = i;
          break;
        } else if (c !== Ch.Space && c !== Ch.Tab && c !== Ch.Cr) lineStart = false;
      }
      if (found < 0) this.fail('no JSON object in the output', start);
      this.i = found;
      this.repair('leading-text', start, `${found - start} bytes before the JSON skipped`);
    }
    const value = this.readObject();
    this.skipWs();
    if (this.i < this.n)
      this.repair('trailing-text', this.i, `${this.n - this.i} bytes after the JSON ignored`);
    if (this.repairCount > this.repairs.length) {
      this.repairs.push({
        kind: 'more-repairs',
        offset: this.n,
        detail: `${this.repairCount - this.repairs.length} more repairs not listed`,
      });
    }
    return { value, repairs: this.repairs };
  }

  readValue(inArray: boolean): RawValue {
    if (this.i >= this.n) this.fail('unexpected end of output (truncated?)');
    const c = this.b[this.i];
    if (c === Ch.Quote) return this.readString(false, inArray);
    if (c === Ch.LBrace) return this.readObject();
    if (c === Ch.LBracket) return this.readArray();
    return this.readBare();
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
  }

  readObject(): Record<string, RawValue> {
    const b = this.b;
    this.enter();
    const obj: Record<string, RawValue> = {};
    let dups: Set<string> | undefined;
    this.i++; // {
    this.skipWs();
    if (b[this.i] === Ch.RBrace) {
      this.i++;
      this.depth--;
      return obj;
    }
    for (;;) {
      this.skipWs();
      if (this.i >= this.n) this.fail('unexpected end of output inside an object (truncated?)');
      const c = b[this.i];
      if (c !== Ch.Quote) {
        if (c === Ch.RBrace) {
          this.repair('trailing-comma', this.i);
          this.i++;
          break;
        }
        this.fail(`expected a key, found ${JSON.stringify(String.fromCharCode(c!))}`);
      }
      const keyAt = this.i;
      const key = this.readString(true, false);
      this.skipWs();
      if (b[this.i] !== Ch.Colon) {
        if (this.i >= this.n) this.fail('unexpected end of output after a key (truncated?)');
        this.fail(`expected ':' after key ${JSON.stringify(key)}`);
      }
      this.i++;
      this.skipWs();
      const value = this.readValue(false);
      if (Object.hasOwn(obj, key)) {
        // `qstat -Qf -F json` repeats `max_queued` when several limits are set: keep every value.
        this.repair('duplicate-key', keyAt, key);
        dups ??= new Set();
        const prev = obj[key] as RawValue;
        if (dups.has(key)) (prev as RawValue[]).push(value);
        else {
          dups.add(key);
          obj[key] = [prev, value];
        }
      } else if (key === '__proto__') {
        Object.defineProperty(obj, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else obj[key] = value;
      this.skipWs();
      const d = b[this.i];
      if (d === Ch.Comma) {
        this.i++;
        continue;
      }
      if (d === Ch.RBrace) {
        this.i++;
        break;
      }
      if (this.i >= this.n) this.fail('unexpected end of output inside an object (truncated?)');
      this.fail(`expected ',' or '}' after the value of ${JSON.stringify(key)}`);
    }
    this.depth--;
    return obj;
  }

  readArray(): RawValue[] {
    const b = this.b;
    this.enter();
    const arr: RawValue[] = [];
    this.i++; // [
    this.skipWs();
    if (b[this.i] === Ch.RBracket) {
      this.i++;
      this.depth--;
      return arr;
    }
    for (;;) {
      this.skipWs();
      if (b[this.i] === Ch.RBracket && arr.length > 0) {
        this.repair('trailing-comma', this.i);
        this.i++;
        break;
      }
      arr.push(this.readValue(true));
      this.skipWs();
      const d = b[this.i];
      if (d === Ch.Comma) {
        this.i++;
        continue;
      }
      if (d === Ch.RBracket) {
        this.i++;
        break;
      }
      if (this.i >= this.n) this.fail('unexpected end of output inside an array (truncated?)');
      this.fail("expected ',' or ']' in an array");
    }
    this.depth--;
    return arr;
  }

  /** A token that is not a string, object or array: a JSON number or literal, or a number PBS printed badly. */
  readBare(): RawValue {
    const b = this.b;
    const start = this.i;
    let i = start;
    while (i < this.n) {
      const c = b[i]!;
      if (c === Ch.Comma || c === Ch.RBrace || c === Ch.RBracket || isWs(c)) break;
      i++;
    }
    if (i - start > 256) this.fail('unexpected text where a value belongs', start);
    const tok = this.ascii(start, i);
    if (!tok) this.fail('expected a value');
    if (tok === 'true') return ((this.i = i), true);
    if (tok === 'false') return ((this.i = i), false);
    if (tok === 'null') return ((this.i = i), null);
    if (JSON_NUMBER.test(tok)) {
      this.i = i;
      const digits = tok.charCodeAt(0) === 45 ? tok.slice(1) : tok;
      if (
        digits.length >= 16 &&
        /^\d+$/.test(digits) &&
        (digits.length > 16 || digits > MAX_SAFE)
      ) {
        this.repair('big-integer', start, tok);
        return tok;
      }
      return Number(tok);
    }
    if (NUMBERISH.test(tok)) {
      // Up to 23.06 PBS writes numeric-looking values unquoted: 005, 0x10, .5, inf … keep the text.
      this.i = i;
      this.repair('bad-number', start, tok);
      return tok;
    }
    return this.fail(`unexpected ${JSON.stringify(tok.slice(0, 20))}`);
  }

  /**
   * Whether a `"` at `q` really closes the string, judged by what follows: PBS leaves quotes inside
   * values unescaped (`"pset":"group_id="""`, node comments), so a quote only ends a value when the
   * JSON structure continues after it. `strict` (for `\"`) also asks for a line break, as PBS puts
   * each attribute on its own line.
   */
  closes(q: number, isKey: boolean, inArray: boolean, strict: boolean): boolean {
    const b = this.b;
    // The common layouts first: `"key":`, `"value",` + newline.
    const c1 = b[q + 1];
    if (isKey && c1 === Ch.Colon) return true;
    if (!isKey && c1 === Ch.Comma) {
      const c2 = b[q + 2];
      if (c2 === Ch.Lf || c2 === Ch.Cr) return true;
    }
    let i = q + 1;
    let sawNewline = false;
    while (i < this.n && (b[i] === Ch.Space || b[i] === Ch.Tab)) i++;
    if (i >= this.n) return !isKey;
    let c = b[i]!;
    if (isKey) return c === Ch.Colon;
    if (c === Ch.Lf || c === Ch.Cr) {
      sawNewline = true;
      while (i < this.n && isWs(b[i]!)) i++;
      if (i >= this.n) return true;
      c = b[i]!;
    }
    if (c === Ch.RBrace || c === Ch.RBracket) return !strict || sawNewline;
    if (c !== Ch.Comma) return false;
    i++;
    while (i < this.n && isWs(b[i]!)) {
      if (b[i] === Ch.Lf) sawNewline = true;
      i++;
    }
    // PBS ends every attribute with `,` + newline, and never puts a raw newline in a value.
    if (sawNewline || i >= this.n) return true;
    if (strict) return false;
    c = b[i]!;
    if (c === Ch.RBrace || c === Ch.RBracket) return true;
    if (c !== Ch.Quote) return inArray;
    if (inArray) return true;
    // The next thing must be a key: a short string followed by `:`.
    const end = Math.min(this.n, i + KEY_LOOKAHEAD);
    for (let j = i + 1; j < end; j++) {
      const k = b[j];
      if (k === Ch.Backslash) j++;
      else if (k === Ch.Lf) return false;
      else if (k === Ch.Quote) {
        j++;
        while (j < this.n && (b[j] === Ch.Space || b[j] === Ch.Tab)) j++;
        return b[j] === Ch.Colon;
      }
    }
    return false;
  }

  readString(isKey: boolean, inArray: boolean): string {
    const b = this.b;
    const start = this.i + 1;
    const n = this.n;
    let i = start;
    let high = false;
    let hash = 0;
    // Fast scan: most strings have no escape, control char or stray quote.
    for (; i < n; i++) {
      const c = b[i]!;
      if (c === Ch.Quote) {
        if (this.closes(i, isKey, inArray, false)) {
          this.i = i + 1;
          if (high) return this.decodeRange(start, i);
          return isKey ? this.key(start, i, hash) : this.ascii(start, i);
        }
        break;
      }
      if (c === Ch.Backslash || c < 0x20) break;
      if (c >= 0x80) high = true;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    return this.readStringSlow(start, i, isKey, inArray);
  }

  /** hash of a key's bytes → the string made for it: the same few hundred keys repeat in every job */
  private readonly keys = new Map<number, string>();

  key(start: number, end: number, hash: number): string {
    const b = this.b;
    const known = this.keys.get(hash);
    if (known !== undefined && known.length === end - start) {
      let same = true;
      for (let j = 0; j < known.length; j++) {
        if (known.charCodeAt(j) !== b[start + j]) {
          same = false;
          break;
        }
      }
      if (same) return known;
    }
    const made = this.ascii(start, end);
    if (this.keys.size < 8192) this.keys.set(hash, made);
    return made;
  }

  /** one raw run of a string holding bytes ≥ 0x80 */
  decodeRange(start: number, end: number): string {
    if (this.utf8 || isUtf8(this.b.subarray(start, end))) return this.utf8Text(start, end);
    this.repair('latin1', start, 'string is not UTF-8; read as Latin-1');
    return this.ascii(start, end);
  }

  readStringSlow(start: number, from: number, isKey: boolean, inArray: boolean): string {
    const b = this.b;
    // Raw byte runs ([start, end) pairs) and decoded escapes (strings), in order.
    const parts: (string | number)[] = [];
    let seg = start;
    const raw = (end: number): void => {
      if (end > seg) parts.push(seg, end);
    };
    for (let i = from; ; i++) {
      if (i >= this.n) this.fail('unexpected end of output inside a string (truncated?)', i);
      const c = b[i]!;
      if (c === Ch.Quote) {
        if (this.closes(i, isKey, inArray, false)) {
          raw(i);
          this.i = i + 1;
          return this.join(parts, start);
        }
        this.repair('unescaped-quote', i);
        continue;
      }
      if (c === Ch.Backslash) {
        raw(i);
        if (i + 1 >= this.n)
          this.fail('unexpected end of output inside a string (truncated?)', i + 1);
        const e = b[i + 1];
        let out: string | null = null;
        let width = 2;
        switch (e) {
          case Ch.Quote:
            // Up to 23.06 backslashes are copied through, so a value ending in `\` looks like `\"`.
            if (!isKey && this.closes(i + 1, false, inArray, true)) {
              parts.push('\\');
              this.repair('bad-escape', i, 'trailing backslash');
              this.i = i + 2;
              return this.join(parts, start);
            }
            out = '"';
            break;
          case Ch.Backslash:
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
            const hex = this.ascii(i + 2, Math.min(i + 6, this.n));
            if (/^[0-9a-fA-F]{4}$/.test(hex)) {
              out = String.fromCharCode(parseInt(hex, 16));
              width = 6;
            }
            break;
          }
        }
        if (out === null) {
          // `\'`, `\,`, `MYDOMAIN\myuser`: PBS meant a literal backslash; keep it, and read on.
          this.repair('bad-escape', i, this.ascii(i, i + 2));
          parts.push('\\');
          width = 1;
        } else parts.push(out);
        i += width - 1;
        seg = i + 1;
        continue;
      }
      if (c < 0x20) {
        if (i + 1 < this.n && b[i + 1]! >= 0x80) {
          // PBS 20–23.06 mangle each byte ≥ 0x80 into a control byte + the byte: drop the control byte.
          raw(i);
          this.repair('mangled-byte', i);
          seg = i + 1;
        } else {
          this.repair('control-char', i, `0x${c.toString(16).padStart(2, '0')}`);
        }
      }
    }
  }

  /**
   * Joins a string's raw runs and escapes. Raw bytes are UTF-8 when valid for the whole string
   * (runs split by a dropped mangling byte are decoded together), else Latin-1.
   */
  join(parts: (string | number)[], start: number): string {
    let high = false;
    const runs: Buffer[] = [];
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k];
      if (typeof p === 'number') {
        const end = parts[++k] as number;
        for (let j = p; j < end && !high; j++) if (this.b[j]! >= 0x80) high = true;
        runs.push(this.b.subarray(p, end));
      }
    }
    const asUtf8 = high && (this.utf8 || isUtf8(Buffer.concat(runs)));
    if (high && !asUtf8) this.repair('latin1', start, 'string is not UTF-8; read as Latin-1');
    let out = '';
    let pending: Buffer[] = [];
    const flush = (): void => {
      if (pending.length === 0) return;
      const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
      out += asUtf8 ? buf.toString('utf8') : buf.toString('latin1');
      pending = [];
    };
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k] as string | number;
      if (typeof p === 'number') pending.push(this.b.subarray(p, parts[++k] as number));
      else {
        flush();
        out += p;
      }
    }
    flush();
    return out;
  }
}
