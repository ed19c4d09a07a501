/** Job ids in PBS order: by sequence number, then array index (`4[]` before `4[1]`), then server. */

function key(id: string): [number, number, string] {
  const m = /^(\d+)(?:\[(\d*)\])?(?:\.(.*))?$/.exec(id);
  if (!m) return [Number.MAX_SAFE_INTEGER, -1, id];
  return [Number(m[1]), m[2] === undefined ? -2 : m[2] === '' ? -1 : Number(m[2]), m[3] ?? ''];
}

/** Compares two job ids numerically. */
export function compareJobIds(a: string, b: string): number {
  const [sa, ia, ra] = key(a);
  const [sb, ib, rb] = key(b);
  return sa - sb || ia - ib || ra.localeCompare(rb) || a.localeCompare(b);
}
