/** Writes JSON byte for byte the way PBS does: 4-space "key":value (PBS Pro 2022) or tab "key":<TAB>value (cJSON). */
import type { Layout } from '../types.js';

export type PbsValue = string | number | PbsObject | string[];
export interface PbsObject {
  [key: string]: PbsValue;
}

/** JSON string text (PBS releases escape only what the JSON grammar needs here). */
export function quote(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return /["\\\u0000-\u001f]/.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** Serialises an object with the given layout; the output ends with a newline as PBS prints it. */
export function writePbsJson(obj: PbsObject, layout: Layout): string {
  return `${writeObject(obj, 0, layout)}\n`;
}

const PAD_CACHE: Record<Layout, string[]> = { pbspro: [], cjson: [] };

function indent(level: number, layout: Layout): string {
  const c = PAD_CACHE[layout];
  return (c[level] ??= layout === 'cjson' ? '\t'.repeat(level) : '    '.repeat(level));
}

// String concatenation (V8 ropes) is markedly faster than collecting parts for multi-megabyte outputs.
function writeObject(obj: PbsObject, level: number, layout: Layout): string {
  const pad = indent(level + 1, layout);
  const sep = layout === 'cjson' ? ':\t' : ':';
  let out = '{\n';
  let first = true;
  for (const k in obj) {
    if (!first) out += ',\n';
    first = false;
    const v = obj[k] as PbsValue;
    // Attribute names never need escaping (PBS names are [A-Za-z0-9_.\-[\]@]).
    out += `${pad}"${k}"${sep}`;
    if (typeof v === 'number') out += v;
    else if (typeof v === 'string') out += quote(v);
    else if (Array.isArray(v)) out += writeArray(v, level + 1, layout);
    else out += writeObject(v, level + 1, layout);
  }
  return `${out}${first ? '' : '\n'}${indent(level, layout)}}`;
}

function writeArray(v: string[], level: number, layout: Layout): string {
  if (layout === 'cjson') return `[${v.map(quote).join(', ')}]`;
  const pad = indent(level + 1, layout);
  return `[\n${v.map((s) => pad + quote(s)).join(',\n')}\n${indent(level, layout)}]`;
}

/** The header PBS prints alone when there is nothing (or when the server is down). */
export function headerOnly(
  timestamp: number,
  version: string,
  server: string,
  layout: Layout,
): string {
  return writePbsJson({ timestamp, pbs_version: version, pbs_server: server }, layout);
}
