/** One item shown in full as aligned `key  value` lines (job show, resv show, status). */
import { sanitizeCell } from './sanitize.js';
import type { RawValue } from '../../pbs/types.js';

/** Renders pairs as `key  value` lines, keys padded to the longest; values sanitised. */
export function renderRecord(pairs: Array<[string, string]>, indent = ''): string {
  const width = Math.max(0, ...pairs.map(([k]) => [...k].length));
  return pairs
    .map(([k, v]) => `${indent}${k.padEnd(width)}  ${sanitizeCell(v)}`.trimEnd())
    .join('\n')
    .concat(pairs.length ? '\n' : '');
}

/** Flattens PBS's nested attributes to `Resource_List.ncpus` = `1` pairs, in PBS's order. */
export function flattenRaw(raw: Record<string, RawValue>, prefix = ''): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(raw)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...flattenRaw(v, key));
    else if (Array.isArray(v))
      out.push([
        key,
        v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', '),
      ]);
    else out.push([key, v === null ? 'null' : String(v)]);
  }
  return out;
}
