/** Writes JSON byte for byte the way PBS does: 4-space "key":value (PBS Pro 2022) or tab "key":<TAB>value (cJSON). */
import type { Layout } from '../types.js';

export type PbsValue = string | number | PbsObject | string[];
export interface PbsObject {
  [key: string]: PbsValue;
}

/** JSON string text (PBS releases escape only what the JSON grammar needs here). */
export function quote(s: string): string {
  return /["\\\u0000-\u001f]/.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** Serialises an object with the given layout; the output ends with a newline as PBS prints it. */
export function writePbsJson(obj: PbsObject, layout: Layout): string {
  const parts: string[] = [];
  writeObject(obj, 0, layout, parts);
  parts.push('\n');
  return parts.join('');
}

function indent(level: number, layout: Layout): string {
  return layout === 'cjson' ? '\t'.repeat(level) : '    '.repeat(level);
}

function writeObject(obj: PbsObject, level: number, layout: Layout, out: string[]): void {
  const keys = Object.keys(obj);
  out.push('{\n');
  const pad = indent(level + 1, layout);
  const sep = layout === 'cjson' ? ':\t' : ':';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out.push(pad, quote(k), sep);
    writeValue(obj[k] as PbsValue, level + 1, layout, out);
    out.push(i < keys.length - 1 ? ',\n' : '\n');
  }
  out.push(indent(level, layout), '}');
}

function writeValue(v: PbsValue, level: number, layout: Layout, out: string[]): void {
  if (typeof v === 'number') out.push(String(v));
  else if (typeof v === 'string') out.push(quote(v));
  else if (Array.isArray(v)) {
    if (layout === 'cjson') out.push('[', v.map(quote).join(', '), ']');
    else {
      const pad = indent(level + 1, layout);
      out.push('[\n', v.map((s) => pad + quote(s)).join(',\n'), '\n', indent(level, layout), ']');
    }
  } else writeObject(v, level, layout, out);
}

/** The header PBS prints alone when there is nothing (or when the server is down). */
export function headerOnly(timestamp: number, version: string, server: string, layout: Layout): string {
  return writePbsJson({ timestamp, pbs_version: version, pbs_server: server }, layout);
}
