/**
 * Object shapes for the tolerant reader. Built key by key, a 40-key job object outgrows its property
 * store a dozen times, and the copies left behind doubled the garbage collector's work. Consecutive
 * PBS objects mostly repeat the keys of an earlier one (every job, every Resource_List), so an
 * object that starts with a known first key is cloned from the last such object in one allocation,
 * and its values overwritten while its keys keep to the same order.
 */
import type { RawValue } from '../types.js';

type RawObject = Record<string, RawValue>;

/** An object read before and its keys in order. */
export interface Shape {
  readonly obj: RawObject;
  readonly keys: readonly string[];
}

/** objects with fewer keys grow cheaply enough */
const MIN_KEYS = 8;

export class Shapes {
  private readonly byFirstKey = new Map<string, Shape>();

  get(firstKey: string): Shape | undefined {
    return this.byFirstKey.get(firstKey);
  }

  /** Keeps `obj` as the shape for objects starting with `firstKey`. */
  remember(firstKey: string, obj: RawObject, keyCount: number): void {
    if (keyCount < MIN_KEYS) return;
    const keys = Object.keys(obj);
    // Array-index keys enumerate before the others, and `__proto__` cannot be assigned: never clone those.
    for (const k of keys) {
      const c = k.charCodeAt(0);
      if ((c >= 48 && c <= 57) || k === '__proto__') return;
    }
    this.byFirstKey.set(firstKey, { obj, keys });
  }
}

/** a fresh object holding the first `count` keys of `keys`, with their values in `from` */
export function copyPrefix(from: RawObject, keys: readonly string[], count: number): RawObject {
  const out: RawObject = {};
  for (let i = 0; i < count; i++) out[keys[i]!] = from[keys[i]!]!;
  return out;
}
