/** Bare (unquoted) tokens in PBS JSON: numbers, literals, and numbers PBS printed in non-JSON form. */
import type { RawValue } from '../types.js';

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBERISH = /^[+-]?[0-9A-Za-z_.+-]+$/;
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

/** A bare token's value and the repair it needed; null when it is no value at all. */
export function bareToken(
  tok: string,
): { value: RawValue; repair?: 'big-integer' | 'bad-number' } | null {
  if (tok === 'true') return { value: true };
  if (tok === 'false') return { value: false };
  if (tok === 'null') return { value: null };
  if (JSON_NUMBER.test(tok)) {
    const digits = tok.charCodeAt(0) === 45 ? tok.slice(1) : tok;
    // JSON.parse would round integers beyond 2^53: keep their exact text.
    if (digits.length >= 16 && /^\d+$/.test(digits) && (digits.length > 16 || digits > MAX_SAFE)) {
      return { value: tok, repair: 'big-integer' };
    }
    return { value: Number(tok) };
  }
  // Up to 23.06 PBS writes numeric-looking values unquoted: 005, 0x10, .5, inf … keep the text.
  if (NUMBERISH.test(tok)) return { value: tok, repair: 'bad-number' };
  return null;
}
