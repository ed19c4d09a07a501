/**
 * The tolerant PBS JSON reader: a single-pass, linear-time recursive-descent reader that accepts
 * everything JSON.parse accepts (with the same result) and repairs the defects real PBS versions print,
 * recording each repair. It runs only when JSON.parse fails or would lose data.
 */
import { isUtf8 } from 'node:buffer';
import { PbsOutputError } from '../errors.js';
import type { RawValue, Repair } from '../types.js';
import { bareToken } from './bare-token.js';
import { copyPrefix, Shapes, type Shape } from './object-shapes.js';
import { setOwn } from './own-property.js';
import { MAX_CACHED_LENGTH, StringCache } from './string-cache.js';
import { decodeRange, readStringSlow, type StringReader } from './string-decode.js';
import { isWs, quoteCloses } from './string-end.js';

const MAX_DEPTH = 256;
const MAX_STORED_REPAIRS = 10_000;

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
  Minus = 45,
  Zero = 48,
  Nine = 57,
}

/** byte classes for the string scan: plain ASCII, a byte that may end or complicate it, a byte ≥ 0x80 */
const PLAIN = 0;
const STOP = 1;
const HIGH = 2;
const BYTE_CLASS = new Uint8Array(256).map((_, c) =>
  c >= 0x80 ? HIGH : c < 0x20 || c === Ch.Quote || c === Ch.Backslash ? STOP : PLAIN,
);

/** a byte that ends a bare token */
function ends(c: number): boolean {
  return c === Ch.Comma || c === Ch.RBrace || c === Ch.RBracket || isWs(c);
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
export function readTolerant(
  input: string | Buffer,
  command: string,
  /** whether the input is known to be valid UTF-8 (the caller may have checked already) */
  utf8?: boolean,
): TolerantResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const valid = typeof input === 'string' || (utf8 ?? isUtf8(bytes));
  const reader = new Reader(bytes as SliceBuffer, valid, command, input);
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

class Reader implements StringReader {
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
    let obj: Record<string, RawValue> = {};
    let firstKey = '';
    let count = 0;
    // while the keys follow a known shape: obj is its clone and `matched` keys have their new value
    let shape: Shape | undefined;
    let matched = 0;
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
      if (count++ === 0) {
        firstKey = key;
        shape = this.shapes.get(key);
        if (shape !== undefined) obj = { ...shape.obj };
      }
      const value = this.readValue(false);
      if (shape !== undefined && shape.keys[matched] === key) {
        obj[key] = value;
        matched++;
      } else {
        if (shape !== undefined) {
          // The keys left the shape: keep only those read so far.
          if (matched < shape.keys.length) obj = copyPrefix(obj, shape.keys, matched);
          shape = undefined;
        }
        this.add(obj, key, value, keyAt);
      }
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
    if (shape === undefined) this.shapes.remember(firstKey, obj, count);
    else if (matched < shape.keys.length) {
      // fewer keys than the shape: drop the clone's leftovers
      obj = copyPrefix(obj, shape.keys, matched);
      this.shapes.remember(firstKey, obj, count);
    }
    return obj;
  }

  /**
   * Adds a key read from the input. `qstat -Qf -F json` repeats `max_queued` when several limits are
   * set: a repeated key keeps every value, in an array (`repeated` marks arrays this reader made).
   */
  add(obj: Record<string, RawValue>, key: string, value: RawValue, keyAt: number): void {
    // (a cheap own-key test first: a key absent from obj and its prototype reads undefined)
    if (obj[key] !== undefined && Object.hasOwn(obj, key)) {
      this.repair('duplicate-key', keyAt, key);
      const prev = obj[key] as RawValue;
      if (this.repeated.has(prev as RawValue[])) (prev as RawValue[]).push(value);
      else {
        const all = [prev, value];
        this.repeated.add(all);
        obj[key] = all;
      }
    } else setOwn(obj, key, value);
  }

  private readonly repeated = new WeakSet<RawValue[]>();

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
    const n = this.n;
    const start = this.i;
    let i = start;
    // Fast path, no text made: a plain integer of up to 15 digits (exact in a double), most bare values.
    if (b[i] === Ch.Minus) i++;
    const digits = i;
    let v = 0;
    for (; i < n; i++) {
      const c = b[i]!;
      if (c < Ch.Zero || c > Ch.Nine) break;
      v = v * 10 + (c - Ch.Zero);
    }
    const len = i - digits;
    if (len > 0 && len <= 15 && (len === 1 || b[digits] !== Ch.Zero) && (i >= n || ends(b[i]!))) {
      this.i = i;
      return digits > start ? -v : v;
    }
    for (i = start; i < n && !ends(b[i]!); i++);
    if (i - start > 256) this.fail('unexpected text where a value belongs', start);
    const tok = this.ascii(start, i);
    if (!tok) this.fail('expected a value');
    const got = bareToken(tok);
    if (!got) return this.fail(`unexpected ${JSON.stringify(tok.slice(0, 20))}`);
    if (got.repair) this.repair(got.repair, start, tok);
    this.i = i;
    return got.value;
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
      const k = BYTE_CLASS[c]!;
      if (k === PLAIN) {
        hash = (Math.imul(hash, 31) + c) | 0;
        continue;
      }
      if (k === HIGH) {
        high = true;
        continue;
      }
      if (c === Ch.Quote && quoteCloses(b, n, i, isKey, inArray, false)) {
        this.i = i + 1;
        if (high) return decodeRange(this, start, i);
        return i - start <= MAX_CACHED_LENGTH
          ? this.strings.get(b, start, i, hash, this.make)
          : this.ascii(start, i);
      }
      break;
    }
    return readStringSlow(this, start, i, isKey, inArray);
  }

  private readonly shapes = new Shapes();
  private readonly strings = new StringCache();
  private readonly make = (start: number, end: number): string => this.ascii(start, end);
}
