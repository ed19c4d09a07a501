/** The PBS JSON entry point: JSON.parse when the output is valid and lossless, else the tolerant reader. */
import { isUtf8 } from 'node:buffer';
import { PbsOutputError } from '../errors.js';
import type { RawValue, Repair } from '../types.js';
import { parseChunked } from './chunked-json.js';
import { readTolerant } from './tolerant-reader.js';

/**
 * Whether JSON.parse may have rounded an integer: any integral number beyond 2^53 came from a literal
 * PBS printed with more precision than a double holds (a walk of the result is cheaper than a regex over the text).
 */
function hasUnsafeInteger(v: unknown): boolean {
  if (typeof v === 'number') return isUnsafeInteger(v);
  return typeof v === 'object' && v !== null && hasUnsafeIn(v);
}

function isUnsafeInteger(x: number): boolean {
  return (x > Number.MAX_SAFE_INTEGER || x < -Number.MAX_SAFE_INTEGER) && Number.isInteger(x);
}

/**
 * The walk over a whole parsed document (every value of 10,000 jobs): one Object.values per object
 * and the number test inline cost half the for-in recursion on every value.
 */
function hasUnsafeIn(o: object): boolean {
  const vals: unknown[] = Array.isArray(o) ? o : Object.values(o);
  for (let i = 0; i < vals.length; i++) {
    const x = vals[i];
    if (typeof x === 'object') {
      if (x !== null && hasUnsafeIn(x)) return true;
    } else if (typeof x === 'number' && isUnsafeInteger(x)) return true;
  }
  return false;
}

/**
 * Reads PBS `-F json` output. Valid JSON takes the JSON.parse fast path; anything else (or JSON that
 * JSON.parse read lossily: integers beyond 2^53, duplicate limit keys) goes through the tolerant reader,
 * whose repairs are returned. Unreadable output throws PbsOutputError naming `command` and the byte offset.
 */
export function readPbsJson(
  input: string | Buffer,
  command: string,
): { value: Record<string, RawValue>; repairs: Repair[] } {
  const utf8 = typeof input === 'string' || isUtf8(input);
  // `qstat -Qf -F json` repeats `max_queued`/`max_run…` limit keys (openpbs#2677): JSON.parse would keep only the last.
  // `max_` first: the search for `"max_` stops at every quote and cost 18% of a JSON.parse on 44 MB.
  if (utf8 && !(input.includes('max_') && input.includes('"max_'))) {
    let value: unknown = typeof input === 'string' ? null : parseChunked(input);
    let ok = value !== null;
    if (!ok) {
      ok = true;
      try {
        value = JSON.parse(typeof input === 'string' ? input : input.toString('utf8'));
      } catch {
        ok = false;
      }
    }
    if (ok) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new PbsOutputError('expected a JSON object', command, 0, input);
      }
      let lossy: boolean;
      try {
        lossy = hasUnsafeInteger(value);
      } catch {
        lossy = true; // nesting too deep to walk: the tolerant reader reports it as unreadable
      }
      if (!lossy) return { value: value as Record<string, RawValue>, repairs: [] };
    }
  }
  return readTolerant(input, command, utf8);
}
