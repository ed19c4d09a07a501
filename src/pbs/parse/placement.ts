/** Placement and count strings PBS prints inside attributes: select, exec_host, exec_vnode, state_count. */
import type { SelectChunk, VnodeShare } from '../types.js';
import { StringMemo } from './parse-memo.js';

/** Parses a select statement (`2:ncpus=8:ngpus=4+1:mem=4gb`, or a bare node count such as 40). */
export function parseSelect(value: string | number): SelectChunk[] {
  if (typeof value === 'number')
    return Number.isFinite(value) ? [{ count: value, resources: {} }] : [];
  if (typeof value !== 'string') return [];
  const chunks: SelectChunk[] = [];
  for (const part of value.split('+')) {
    const text = part.trim();
    if (!text) continue;
    const fields = text.split(':');
    let count = 1;
    let first = 0;
    if (/^\d+$/.test(fields[0] ?? '')) {
      count = Number(fields[0]);
      first = 1;
    }
    const resources: Record<string, string> = {};
    for (let i = first; i < fields.length; i++) {
      const f = fields[i] as string;
      const eq = f.indexOf('=');
      if (eq > 0) resources[f.slice(0, eq)] = f.slice(eq + 1);
      else if (f) resources[f] = '';
    }
    chunks.push({ count, resources });
  }
  return chunks;
}

/** Parses `host/N[*C]+…` into the distinct host names in placement order. */
export function parseExecHost(text: string): string[] {
  if (typeof text !== 'string') return [];
  const hosts: string[] = [];
  const seen = new Set<string>();
  const n = text.length;
  for (let i = 0; i < n;) {
    let end = text.indexOf('+', i);
    if (end < 0) end = n;
    let slash = text.indexOf('/', i);
    if (slash < 0 || slash > end) slash = end;
    const host = text.slice(i, slash).trim();
    if (host && !seen.has(host)) {
      seen.add(host);
      hosts.push(host);
    }
    i = end + 1;
  }
  return hosts;
}

/** host part of a vnode name: `cpu1n001[0]` → `cpu1n001`, `gpu0n001[1.0]` → `gpu0n001` */
export function vnodeHost(vnode: string): string {
  const b = vnode.indexOf('[');
  return b > 0 ? vnode.slice(0, b) : vnode;
}

/**
 * Parses `(vnA:ncpus=N:mem=X)+(vnB:ncpus=P+vnC:mem=Z)` / `(vnB)` into one share per vnode chunk.
 * With `shares`, identical chunk texts (a node's share recurs in job after job) yield one shared,
 * frozen share object instead of a fresh parse.
 */
export function parseExecVnode(text: string, shares?: StringMemo<VnodeShare>): VnodeShare[] {
  if (typeof text !== 'string') return [];
  const out: VnodeShare[] = [];
  const n = text.length;
  // Groups only bracket chunks placed together; the shares themselves are `+`-separated either way.
  // A hand-rolled scan: Aurora-size outputs carry hundreds of thousands of shares.
  let i = 0;
  while (i < n) {
    let end = text.indexOf('+', i);
    if (end < 0) end = n;
    let a = i;
    let b = end;
    while (a < b && (text.charCodeAt(a) === 40 || text.charCodeAt(a) === 32)) a++; // ( and space
    while (b > a && (text.charCodeAt(b - 1) === 41 || text.charCodeAt(b - 1) === 32)) b--; // ) and space
    if (a < b) out.push(shares ? shares.get(text.slice(a, b)) : parseShare(text, a, b));
    i = end + 1;
  }
  return out;
}

/** A memo of vnode shares keyed by their chunk text (`vn:ncpus=8`), for {@link parseExecVnode}. */
export function vnodeShareMemo(): StringMemo<VnodeShare> {
  return new StringMemo((chunk) => {
    const share = parseShare(chunk, 0, chunk.length);
    Object.freeze(share.resources);
    return Object.freeze(share);
  });
}

/** One `vnode:res=value:…` chunk between `a` and `b` (brackets and spaces already trimmed). */
function parseShare(text: string, a: number, b: number): VnodeShare {
  let colon = text.indexOf(':', a);
  if (colon < 0 || colon > b) colon = b;
  const vnode = text.slice(a, colon);
  const resources: Record<string, string> = {};
  let f = colon + 1;
  while (f < b) {
    let next = text.indexOf(':', f);
    if (next < 0 || next > b) next = b;
    const eq = text.indexOf('=', f);
    if (eq > f && eq < next) resources[text.slice(f, eq)] = text.slice(eq + 1, next);
    f = next + 1;
  }
  return { vnode, host: vnodeHost(vnode), resources };
}

/** Parses `Transit:0 Queued:3 … Begun:0 ` (and `array_state_count`) into state → count. */
export function parseStateCount(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof text !== 'string') return out;
  for (const tok of text.split(/\s+/)) {
    const colon = tok.lastIndexOf(':');
    if (colon <= 0) continue;
    const n = Number(tok.slice(colon + 1));
    if (tok.slice(colon + 1) !== '' && Number.isFinite(n)) out[tok.slice(0, colon)] = n;
  }
  return out;
}
