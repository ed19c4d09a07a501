/** `pbs_rstat -f` text (PBS has no JSON form for it) → Reservation models. */
import { PbsOutputError } from '../errors.js';
import type { Parsed, Repair, Reservation } from '../types.js';
import type { ParseOptions } from './options.js';
import { parseExecVnode } from './placement.js';
import { parsePbsTime } from './times.js';
import { parseDuration } from './units.js';
import { stripHost } from './values.js';

const HEADER = /^Resv ID:\s*(\S+)\s*$/;
// `s`: a value may hold U+2028/U+2029, which `.` would otherwise stop at
const ATTR = /^\s*([A-Za-z_][\w.-]*)\s=\s?(.*)$/s;

/** Parses `pbs_rstat -f` output: `Resv ID: R123.srv` then `attr = value` lines (TAB-led continuation lines). */
export function parseReservations(
  input: string | Buffer,
  opts: ParseOptions = {},
): Parsed<Reservation> {
  const command = opts.command ?? 'pbs_rstat -f';
  const textIn = typeof input === 'string' ? input : input.toString('utf8');
  const repairs: Repair[] = [];
  const records: { id: string; raw: Record<string, string> }[] = [];
  let current: { id: string; raw: Record<string, string> } | null = null;
  let lastKey: string | null = null;
  let offset = 0;
  for (const line of textIn.split('\n')) {
    const here = offset;
    offset += Buffer.byteLength(line, 'utf8') + 1;
    const clean = line.replace(/\r$/, '');
    const head = HEADER.exec(clean);
    if (head) {
      // no prototype: an attribute named __proto__ is data like any other
      current = { id: head[1] as string, raw: Object.create(null) as Record<string, string> };
      records.push(current);
      lastKey = null;
      continue;
    }
    if (!clean.trim()) {
      lastKey = null;
      continue;
    }
    if (!current) {
      throw new PbsOutputError(
        `expected "Resv ID:", found ${JSON.stringify(clean.slice(0, 40))}`,
        command,
        here,
        input,
      );
    }
    if (clean.startsWith('\t') && lastKey !== null) {
      // PBS wraps long values onto TAB-led lines, possibly mid-word: join without a separator.
      current.raw[lastKey] += clean.slice(1);
      continue;
    }
    const attr = ATTR.exec(clean);
    if (attr) {
      lastKey = attr[1] as string;
      current.raw[lastKey] = attr[2] as string;
    } else repairs.push({ kind: 'unrecognised-line', offset: here, detail: clean.slice(0, 80) });
  }
  const items = records.map((r) => toReservation(r.id, r.raw, opts.timezone));
  return {
    items,
    timestamp: null,
    pbsVersion: null,
    pbsServer: items[0]?.raw.server ?? null,
    repairs,
  };
}

function int(v: string | undefined): number | null {
  return v !== undefined && /^\s*-?\d+\s*$/.test(v) ? Number(v) : null;
}

function toReservation(
  id: string,
  raw: Record<string, string>,
  tz: string | null | undefined,
): Reservation {
  const nodesText = raw.resv_nodes ?? null;
  const nodes =
    nodesText === null ? [] : [...new Set(parseExecVnode(nodesText).map((s) => s.vnode))];
  const time = (v: string | undefined): number | null =>
    v === undefined ? null : parsePbsTime(v, tz);
  return {
    id,
    name: raw.Reserve_Name ?? null,
    owner: stripHost(raw.Reserve_Owner ?? null),
    state: raw.reserve_state ?? null,
    substate: int(raw.reserve_substate),
    queue: raw.queue ?? null,
    start: time(raw.reserve_start),
    end: time(raw.reserve_end),
    duration: raw.reserve_duration === undefined ? null : parseDuration(raw.reserve_duration),
    nodes,
    nodesText,
    select: raw['Resource_List.select'] ?? null,
    rrule: raw.reserve_rrule ?? null,
    index: int(raw.reserve_index),
    count: int(raw.reserve_count),
    raw,
  };
}
