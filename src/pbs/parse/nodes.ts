/** `pbsnodes -a[v] -F json` → Node models. */
import type { Node, Parsed, RawValue } from '../types.js';
import type { ParseOptions } from './options.js';
import { StringMemo } from './parse-memo.js';
import { readPbsJson } from './read-pbs-json.js';
import { header, isObject, num, size, text, type RawObject } from './values.js';

/** Parses `pbsnodes -a[v] -F json` output; `{"Error": …}` entries (unknown hosts) become repairs, not nodes. */
export function parseNodes(input: string | Buffer, opts: ParseOptions = {}): Parsed<Node> {
  const command = opts.command ?? 'pbsnodes -a -F json';
  const { value, repairs } = readPbsJson(input, command);
  const nodes = value.nodes;
  const items: Node[] = [];
  // a cluster has a handful of distinct state texts: one frozen set each, shared by its nodes
  const states = new StringMemo(stateSet);
  if (isObject(nodes)) {
    for (const [name, attrs] of Object.entries(nodes)) {
      if (!isObject(attrs)) {
        repairs.push({ kind: 'not-a-node', offset: 0, detail: name });
      } else if ('Error' in attrs && !('state' in attrs)) {
        // `pbsnodes -F json <unknown host>` reports the error as if it were a node.
        repairs.push({
          kind: 'error-node',
          offset: errorOffset(input),
          detail: `${name}: ${text(attrs.Error) ?? ''}`.trim(),
        });
      } else items.push(toNode(name, attrs, states));
    }
  }
  return { items, ...header(value), repairs };
}

/** byte offset of the first `"Error"` key, for the repair report */
function errorOffset(input: string | Buffer): number {
  const at = input.indexOf('"Error"');
  if (at < 0) return 0;
  return typeof input === 'string' ? Buffer.byteLength(input.slice(0, at), 'utf8') : at;
}

/** `resources_assigned` omits zeros: a missing key is 0; an indirect `@vnode` value is unknown (null). */
function assigned(
  map: RawObject,
  key: string,
  conv: (v: RawValue | undefined) => number | null,
): number | null {
  return map[key] === undefined ? 0 : conv(map[key]);
}

/** `["1.srv/0","1.srv/1"]` or `"1.srv/0, 1.srv/1"` → distinct ids without the `/cpu` suffix */
function jobIds(v: RawValue | undefined): string[] {
  const list = Array.isArray(v)
    ? v.map((x) => text(x) ?? '')
    : typeof v === 'string'
      ? v.split(',')
      : [];
  if (list.length === 1) {
    const id = list[0]!.trim().replace(/\/\d+$/, '');
    return id ? [id] : [];
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const entry of list) {
    const id = entry.trim().replace(/\/\d+$/, '');
    if (id && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}

/** `offline,resv-exclusive` → its distinct states, sorted */
function stateSet(state: string): readonly string[] {
  const parts = state.includes(',') ? state.split(',').map((s) => s.trim()) : [state.trim()];
  return Object.freeze([...new Set(parts.filter(Boolean))].sort());
}

const NO_STATES: readonly string[] = Object.freeze([]);

function toNode(name: string, a: RawObject, states: StringMemo<readonly string[]>): Node {
  const avail = isObject(a.resources_available) ? a.resources_available : {};
  const asg = isObject(a.resources_assigned) ? a.resources_assigned : {};
  const state = text(a.state);
  return {
    name,
    states: state === null ? NO_STATES : states.get(state),
    resourcesAvailable: avail,
    resourcesAssigned: asg,
    ncpus: num(avail.ncpus),
    ncpusAssigned: assigned(asg, 'ncpus', num),
    ngpus: avail.ngpus === undefined ? null : num(avail.ngpus),
    ngpusAssigned: assigned(asg, 'ngpus', num),
    memBytes: size(avail.mem),
    memAssignedBytes: assigned(asg, 'mem', size),
    jobs: jobIds(a.jobs),
    queue: text(a.queue),
    comment: text(a.comment),
    lastStateChangeTime: num(a.last_state_change_time),
    lastUsedTime: num(a.last_used_time),
    mom: text(a.Mom),
    sharing: text(a.sharing),
    resv: text(a.resv),
    raw: a,
  };
}
