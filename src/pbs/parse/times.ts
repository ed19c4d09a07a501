/**
 * PBS prints instants as ctime(3) text in the local zone of the host that ran the command,
 * with no zone and a space-padded day. These read and write that form in an explicit IANA zone
 * using Intl offsets only (no time-zone library).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_INDEX: Record<string, number> = Object.fromEntries(
  MONTHS.map((m, i) => [m.toLowerCase(), i]),
);
const CTIME_RE =
  /^\s*(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:[A-Z]{3,5}\s+)?(\d{4})\s*$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface Fields {
  year: number;
  month: number; // 0-based
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function fieldsIn(epochMs: number, zone: string): Fields {
  const out: Fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const p of formatter(zone).formatToParts(epochMs)) {
    switch (p.type) {
      case 'year':
        out.year = Number(p.value);
        break;
      case 'month':
        out.month = Number(p.value) - 1;
        break;
      case 'day':
        out.day = Number(p.value);
        break;
      case 'hour':
        out.hour = Number(p.value) % 24;
        break;
      case 'minute':
        out.minute = Number(p.value);
        break;
      case 'second':
        out.second = Number(p.value);
        break;
      case 'weekday':
        out.weekday = DAYS.indexOf(p.value);
        break;
    }
  }
  return out;
}

/** zone → 15-minute UTC bucket → offset: real zones only change offset on quarter hours */
const offsets = new Map<string, Map<number, number>>();
const BUCKET_MS = 15 * 60 * 1000;

/** zone offset (ms, local − UTC) at an instant */
function offsetAt(epochMs: number, zone: string): number {
  let byBucket = offsets.get(zone);
  if (!byBucket) offsets.set(zone, (byBucket = new Map()));
  const bucket = Math.floor(epochMs / BUCKET_MS);
  let off = byBucket.get(bucket);
  if (off === undefined) {
    const at = bucket * BUCKET_MS;
    const f = fieldsIn(at, zone);
    off = Date.UTC(f.year, f.month, f.day, f.hour, f.minute, f.second) - at;
    if (byBucket.size > 100_000) byBucket.clear();
    byBucket.set(bucket, off);
  }
  return off;
}

/** Converts wall-clock fields in `zone` to epoch ms, re-checking the offset across a DST change. */
function wallToEpochMs(wall: number, zone: string): number {
  const first = wall - offsetAt(wall, zone);
  const second = wall - offsetAt(first, zone);
  if (second === first) return first;
  // In a gap or overlap: prefer the candidate whose offset round-trips.
  return wall - offsetAt(second, zone) === second ? second : first;
}

/** Reads ctime(3) text in `timezone` (null = machine zone) into UTC epoch seconds; epoch numbers pass through; "UNKNOWN" → null. */
export function parsePbsTime(text: string | number, timezone?: string | null): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? Math.trunc(text) : null;
  if (typeof text !== 'string') return null;
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  return parseCtime(text, timezone);
}

function parseCtime(text: string, timezone?: string | null): number | null {
  const m = CTIME_RE.exec(text);
  if (!m) return null;
  const month = MONTH_INDEX[(m[1] ?? '').toLowerCase()];
  if (month === undefined) return null;
  const [day, hour, minute, second, year] = [m[2], m[3], m[4], m[5] ?? '0', m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  if (!timezone)
    return Math.floor(new Date(year, month, day, hour, minute, second).getTime() / 1000);
  const wall = Date.UTC(year, month, day, hour, minute, second);
  try {
    return Math.floor(wallToEpochMs(wall, timezone) / 1000);
  } catch {
    return null; // unknown zone name
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Writes an epoch as ctime(3) text (`Fri Jul  1 14:42:57 2022`) in `timezone` (null = machine zone). */
export function formatPbsTime(epoch: number, timezone?: string | null): string {
  const ms = Math.floor(epoch) * 1000;
  let f: Fields;
  if (!timezone) {
    const d = new Date(ms);
    f = {
      year: d.getFullYear(),
      month: d.getMonth(),
      day: d.getDate(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      second: d.getSeconds(),
      weekday: d.getDay(),
    };
  } else {
    f = fieldsIn(ms, timezone);
  }
  const day = String(f.day).padStart(2, ' ');
  return `${DAYS[f.weekday]} ${MONTHS[f.month]} ${day} ${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)} ${f.year}`;
}
