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
  Tab = 9, Lf = 10, Cr = 13, Space = 32, Quote = 34, Comma = 44, Colon = 58,
  LBracket = 91, Backslash = 92, RBracket = 93, LBrace = 123, RBrace = 125,
}

/** Result of the tolerant reader. */
export interface TolerantResult {
  value: Record<string, RawValue>;
  repairs: Repair[];
}

/**
 * Reads PBS JSON tolerantly. `binary` text holds one char per input byte (latin1-decoded), so that
 * each string can be decoded on its own (UTF-8 when valid, else Latin-1) and offsets are byte offsets.
 */
export function readTolerant(input: string | Buffer, command: string, decoded?: string): TolerantResult {
  let text: string;
  let binary = false;
  if (typeof input === 'string') text = input;
  else if (decoded !== undefined) text = decoded;
  else if (isUtf8(input)) text = input.toString('utf8');
  else {
    text = input.toString('latin1');
    binary = true;
  }
  const reader = new Reader(text, binary, command, input);
  try {
    return reader.readRoot();
  } catch (err) {
    if (err instanceof PbsOutputError) throw err;
    throw new PbsOutputError(`reader failure (${(err as Error).message})`, command, reader.byteOffset(reader.i), input);
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
    readonly s: string,
    readonly binary: boolean,
    readonly command: string,
    readonly input: string | Buffer,
  ) {
    this.n = s.length;
  }

  private markChar = 0;
  private markByte = 0;

  /** byte offset of char `i`, computed incrementally so that many repairs stay linear */
  byteOffset(i: number): number {
    if (this.binary) return i;
    if (i < this.markChar) {
      this.markChar = 0;
      this.markByte = 0;
    }
    this.markByte += Buffer.byteLength(this.s.slice(this.markChar, i), 'utf8');
    this.markChar = i;
    return this.markByte;
  }

  fail(message: string, at = this.i): never {
    throw new PbsOutputError(message, this.command, this.byteOffset(Math.min(at, this.n)), this.input);
  }

  repair(kind: string, at: number, detail?: string): void {
    this.repairCount++;
    if (this.repairs.length < MAX_STORED_REPAIRS) {
      const r: Repair = { kind, offset: this.byteOffset(at) };
      if (detail !== undefined) r.detail = detail;
      this.repairs.push(r);
    }
  }

  skipWs(): void {
    const s = this.s;
    let i = this.i;
    while (i < this.n && isWs(s.charCodeAt(i))) i++;
    this.i = i;
  }

  readRoot(): TolerantResult {
    this.skipWs();
    if (this.i >= this.n) this.fail('empty output (no JSON)');
    if (this.s.charCodeAt(this.i) !== Ch.LBrace) {
      // `qstat -u USER -f -F json` prints a text table first: skip to the first line opening an object.
      const start = this.i;
      const m = /(?:^|\n)[ \t]*\{/g;
      m.lastIndex = this.i;
      const found = m.exec(this.s);
      if (!found) this.fail('no JSON object in the output', start);
      this.i = found.index + found[0].length - 1;
      this.repair('leading-text', start, `${this.byteOffset(this.i) - this.byteOffset(start)} bytes before the JSON skipped`);
    }
    const value = this.readObject();
    this.skipWs();
    if (this.i < this.n) this.repair('trailing-text', this.i, `${this.n - this.i} chars after the JSON ignored`);
    if (this.repairCount > this.repairs.length) {
      this.repairs.push({ kind: 'more-repairs', offset: this.byteOffset(this.n), detail: `${this.repairCount - this.repairs.length} more repairs not listed` });
    }
    return { value, repairs: this.repairs };
  }

  readValue(inArray: boolean): RawValue {
    if (this.i >= this.n) this.fail('unexpected end of output (truncated?)');
    const c = this.s.charCodeAt(this.i);
    if (c === Ch.Quote) return this.readString(false, inArray);
    if (c === Ch.LBrace) return this.readObject();
    if (c === Ch.LBracket) return this.readArray();
    return this.readBare();
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
  }

  readObject(): Record<string, RawValue> {
    this.enter();
    const obj: Record<string, RawValue> = {};
    let dups: Set<string> | undefined;
    this.i++; // {
    this.skipWs();
    if (this.s.charCodeAt(this.i) === Ch.RBrace) {
      this.i++;
      this.depth--;
      return obj;
    }
    for (;;) {
      this.skipWs();
      if (this.i >= this.n) this.fail('unexpected end of output inside an object (truncated?)');
      const c = this.s.charCodeAt(this.i);
      if (c !== Ch.Quote) {
        if (c === Ch.RBrace) {
          this.repair('trailing-comma', this.i);
          this.i++;
          break;
        }
        this.fail(`expected a key, found ${JSON.stringify(this.s[this.i])}`);
      }
      const keyAt = this.i;
      const key = this.readString(true, false);
      this.skipWs();
      if (this.s.charCodeAt(this.i) !== Ch.Colon) {
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
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      } else obj[key] = value;
      this.skipWs();
      const d = this.s.charCodeAt(this.i);
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
    this.enter();
    const arr: RawValue[] = [];
    this.i++; // [
    this.skipWs();
    if (this.s.charCodeAt(this.i) === Ch.RBracket) {
      this.i++;
      this.depth--;
      return arr;
    }
    for (;;) {
      this.skipWs();
      if (this.s.charCodeAt(this.i) === Ch.RBracket && arr.length > 0) {
        this.repair('trailing-comma', this.i);
        this.i++;
        break;
      }
      arr.push(this.readValue(true));
      this.skipWs();
      const d = this.s.charCodeAt(this.i);
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
    const s = this.s;
    const start = this.i;
    let i = start;
    while (i < this.n) {
      const c = s.charCodeAt(i);
      if (c === Ch.Comma || c === Ch.RBrace || c === Ch.RBracket || isWs(c)) break;
      i++;
    }
    const tok = s.slice(start, i);
    if (!tok) this.fail('expected a value');
    if (tok === 'true') return (this.i = i), true;
    if (tok === 'false') return (this.i = i), false;
    if (tok === 'null') return (this.i = i), null;
    if (JSON_NUMBER.test(tok)) {
      this.i = i;
      const digits = tok.charCodeAt(0) === 45 ? tok.slice(1) : tok;
      if (digits.length >= 16 && /^\d+$/.test(digits) && (digits.length > 16 || digits > MAX_SAFE)) {
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
    const s = this.s;
    // The common layouts first: `"key":`, `"value",` + newline.
    const c1 = s.charCodeAt(q + 1);
    if (isKey && c1 === Ch.Colon) return true;
    if (!isKey && c1 === Ch.Comma) {
      const c2 = s.charCodeAt(q + 2);
      if (c2 === Ch.Lf || c2 === Ch.Cr) return true;
    }
    let i = q + 1;
    let sawNewline = false;
    while (i < this.n && (s.charCodeAt(i) === Ch.Space || s.charCodeAt(i) === Ch.Tab)) i++;
    if (i >= this.n) return !isKey;
    let c = s.charCodeAt(i);
    if (isKey) return c === Ch.Colon;
    if (c === Ch.Lf || c === Ch.Cr) {
      sawNewline = true;
      while (i < this.n && isWs(s.charCodeAt(i))) i++;
      if (i >= this.n) return true;
      c = s.charCodeAt(i);
    }
    if (c === Ch.RBrace || c === Ch.RBracket) return !strict || sawNewline;
    if (c !== Ch.Comma) return false;
    i++;
    while (i < this.n && isWs(s.charCodeAt(i))) {
      if (s.charCodeAt(i) === Ch.Lf) sawNewline = true;
      i++;
    }
    // PBS ends every attribute with `,` + newline, and never puts a raw newline in a value.
    if (sawNewline || i >= this.n) return true;
    if (strict) return false;
    c = s.charCodeAt(i);
    if (c === Ch.RBrace || c === Ch.RBracket) return true;
    if (c !== Ch.Quote) return inArray && !strict;
    if (inArray) return true;
    // The next thing must be a key: a short string followed by `:`.
    const end = Math.min(this.n, i + KEY_LOOKAHEAD);
    for (let j = i + 1; j < end; j++) {
      const k = s.charCodeAt(j);
      if (k === Ch.Backslash) j++;
      else if (k === Ch.Lf) return false;
      else if (k === Ch.Quote) {
        j++;
        while (j < this.n && (s.charCodeAt(j) === Ch.Space || s.charCodeAt(j) === Ch.Tab)) j++;
        return s.charCodeAt(j) === Ch.Colon;
      }
    }
    return false;
  }

  readString(isKey: boolean, inArray: boolean): string {
    const s = this.s;
    const start = this.i + 1;
    let i = start;
    let high = false;
    // Fast scan: most strings have no escape, control char or stray quote.
    for (; i < this.n; i++) {
      const c = s.charCodeAt(i);
      if (c === Ch.Quote) {
        if (this.closes(i, isKey, inArray, false)) {
          this.i = i + 1;
          const raw = s.slice(start, i);
          return high && this.binary ? this.decode([raw], start) : raw;
        }
        break;
      }
      if (c === Ch.Backslash || c < 0x20) break;
      if (c >= 0x80) high = true;
    }
    return this.readStringSlow(start, i, isKey, inArray);
  }

  readStringSlow(start: number, from: number, isKey: boolean, inArray: boolean): string {
    const s = this.s;
    // Raw segments and decoded escapes alternate; raw segments may need byte decoding.
    const parts: string[] = [];
    const escaped: boolean[] = [];
    let seg = start;
    const push = (text: string, esc: boolean): void => {
      parts.push(text);
      escaped.push(esc);
    };
    for (let i = from; ; i++) {
      if (i >= this.n) this.fail('unexpected end of output inside a string (truncated?)', i);
      const c = s.charCodeAt(i);
      if (c === Ch.Quote) {
        if (this.closes(i, isKey, inArray, false)) {
          push(s.slice(seg, i), false);
          this.i = i + 1;
          return this.decode(parts, start, escaped);
        }
        this.repair('unescaped-quote', i);
        continue;
      }
      if (c === Ch.Backslash) {
        push(s.slice(seg, i), false);
        const e = s.charCodeAt(i + 1);
        if (i + 1 >= this.n) this.fail('unexpected end of output inside a string (truncated?)', i + 1);
        let out: string | null = null;
        let width = 2;
        switch (e) {
          case Ch.Quote:
            // Up to 23.06 backslashes are copied through, so a value ending in `\` looks like `\"`.
            if (!isKey && this.closes(i + 1, false, inArray, true)) {
              push('\\', true);
              this.repair('bad-escape', i, 'trailing backslash');
              this.i = i + 2;
              return this.decode(parts, start, escaped);
            }
            out = '"';
            break;
          case Ch.Backslash: out = '\\'; break;
          case 47: out = '/'; break;
          case 98: out = '\b'; break;
          case 102: out = '\f'; break;
          case 110: out = '\n'; break;
          case 114: out = '\r'; break;
          case 116: out = '\t'; break;
          case 117: {
            const hex = s.slice(i + 2, i + 6);
            if (/^[0-9a-fA-F]{4}$/.test(hex)) {
              out = String.fromCharCode(parseInt(hex, 16));
              width = 6;
            }
            break;
          }
        }
        if (out === null) {
          // `\'`, `\,`, `MYDOMAIN\myuser`: PBS meant a literal backslash; keep it, and read on.
          this.repair('bad-escape', i, s.slice(i, i + 2));
          push('\\', true);
          width = 1;
        } else push(out, true);
        i += width - 1;
        seg = i + 1;
        continue;
      }
      if (c < 0x20) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0x80 && i + 1 < this.n) {
          // PBS 20–23.06 mangle each byte ≥ 0x80 into a control byte + the byte: drop the control byte.
          push(s.slice(seg, i), false);
          this.repair('mangled-byte', i);
          seg = i + 1;
        } else {
          this.repair('control-char', i, `0x${c.toString(16).padStart(2, '0')}`);
        }
      }
    }
  }

  /** Joins a string's parts; in binary mode raw bytes are UTF-8 when valid for the whole string, else Latin-1. */
  decode(parts: string[], start: number, escaped?: boolean[]): string {
    if (!this.binary) return parts.join('');
    let rawBytes = '';
    let high = false;
    for (let k = 0; k < parts.length; k++) {
      if (escaped?.[k]) continue;
      const p = parts[k] as string;
      rawBytes += p;
      if (!high) for (let j = 0; j < p.length; j++) if (p.charCodeAt(j) >= 0x80) (high = true), (j = p.length);
    }
    if (!high) return parts.join('');
    if (isUtf8(Buffer.from(rawBytes, 'latin1'))) {
      return parts.map((p, k) => (escaped?.[k] ? p : Buffer.from(p, 'latin1').toString('utf8'))).join('');
    }
    this.repair('latin1', start, 'string is not UTF-8; read as Latin-1');
    return parts.join('');
  }
}
