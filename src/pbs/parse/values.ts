/** Small conversions from raw PBS attribute values to model fields, shared by the model parsers. */
import type { RawValue } from '../types.js';
import { parseSize } from './units.js';

export type RawObject = Record<string, RawValue>;

export function isObject(v: RawValue | undefined): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A duplicated key is kept as an array of its values; model fields use the last one, as PBS would. */
function single(v: RawValue | undefined): RawValue | undefined {
  return Array.isArray(v) && v.length > 0 && v.every((x) => !Array.isArray(x) && !isObject(x))
    ? v[v.length - 1]
    : v;
}

export function text(v: RawValue | undefined): string | null {
  const x = single(v);
  if (x === undefined || x === null) return null;
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return JSON.stringify(x);
}

/** a number from a JSON number or numeric text; null for anything else (`@vnode` indirections, junk) */
export function num(v: RawValue | undefined): number | null {
  const x = single(v);
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  if (typeof x === 'string' && /^\s*[+-]?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(x)) return Number(x);
  return null;
}

export function bool(v: RawValue | undefined): boolean | null {
  const x = single(v);
  if (typeof x === 'boolean') return x;
  if (typeof x === 'number') return x !== 0;
  if (typeof x === 'string') {
    const t = x.trim().toLowerCase();
    if (t === 'true' || t === 't' || t === 'y' || t === '1') return true;
    if (t === 'false' || t === 'f' || t === 'n' || t === '0') return false;
  }
  return null;
}

export function size(v: RawValue | undefined): number | null {
  const x = single(v);
  return typeof x === 'string' || typeof x === 'number' ? parseSize(x) : null;
}

/** every entry of a resource map as text (duplicates joined with `,`) */
export function textMap(v: RawValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    out[k] = Array.isArray(x) ? x.map((e) => text(e) ?? '').join(',') : (text(x) ?? '');
  }
  return out;
}

/** `user@host` → `user` */
export function stripHost(v: string | null): string | null {
  if (v === null) return null;
  const at = v.indexOf('@');
  return at >= 0 ? v.slice(0, at) : v;
}

/** The header fields every `-F json` output starts with. */
export function header(root: RawObject): {
  timestamp: number | null;
  pbsVersion: string | null;
  pbsServer: string | null;
} {
  return {
    timestamp: num(root.timestamp),
    pbsVersion: text(root.pbs_version),
    pbsServer: text(root.pbs_server),
  };
}

/** Splits a full job id `123[4].srv.dom` into its sequence part and server part. */
export function splitJobId(id: string): { shortId: string; server: string } {
  const close = id.indexOf(']');
  const dot = id.indexOf('.', close >= 0 ? close : 0);
  return dot >= 0
    ? { shortId: id.slice(0, dot), server: id.slice(dot + 1) }
    : { shortId: id, server: '' };
}
