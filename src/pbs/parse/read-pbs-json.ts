/** The PBS JSON entry point: JSON.parse when the output is valid and lossless, else the tolerant reader. */
import { isUtf8 } from 'node:buffer';
import { PbsOutputError } from '../errors.js';
import type { RawValue, Repair } from '../types.js';
import { readTolerant } from './tolerant-reader.js';

/** integer literals long enough to be beyond 2^53 (JSON.parse would silently round them) */
const LONG_INT = /[:,[]\s*-?(\d{16,})(?![\d.eE])/g;
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

function losesIntegers(text: string): boolean {
  LONG_INT.lastIndex = 0;
  for (let m = LONG_INT.exec(text); m; m = LONG_INT.exec(text)) {
    const d = m[1] as string;
    if (d.length > 16 || d > MAX_SAFE) return true;
  }
  return false;
}

/**
 * Reads PBS `-F json` output. Valid JSON takes the JSON.parse fast path; anything else (or JSON that
 * JSON.parse would read lossily: huge integers, duplicate limit keys) goes through the tolerant reader,
 * whose repairs are returned. Unreadable output throws PbsOutputError naming `command` and the byte offset.
 */
export function readPbsJson(input: string | Buffer, command: string): { value: Record<string, RawValue>; repairs: Repair[] } {
  let text: string | null = null;
  if (typeof input === 'string') text = input;
  else if (isUtf8(input)) text = input.toString('utf8');
  // `qstat -Qf -F json` repeats `max_queued`/`max_run` keys (openpbs#2677): JSON.parse would keep only the last.
  if (text !== null && !text.includes('"max_queued') && !text.includes('"max_run') && !losesIntegers(text)) {
    let value: unknown;
    let ok = true;
    try {
      value = JSON.parse(text);
    } catch {
      ok = false;
    }
    if (ok) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new PbsOutputError('expected a JSON object', command, 0, input);
      }
      return { value: value as Record<string, RawValue>, repairs: [] };
    }
  }
  return readTolerant(input, command, text ?? undefined);
}
