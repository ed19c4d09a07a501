/** Time text as PBS prints it: ctime(3) in the cluster's zone, HH:MM:SS durations, qselect/-a stamps. */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Converts epoch seconds to wall-clock fields in one IANA zone; caches the zone offset per 15 minutes. */
export class ZoneClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();

  constructor(readonly zone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset of the zone from UTC at instant t, in seconds. */
  offset(t: number): number {
    // Zone transitions fall on quarter hours, so the offset is constant within a 900 s bucket.
    const b = Math.floor(t / 900);
    let off = this.cache.get(b);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of this.fmt.formatToParts(new Date(b * 900 * 1000))) {
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      }
      const wall =
        Date.UTC(
          p.year ?? 1970,
          (p.month ?? 1) - 1,
          p.day ?? 1,
          p.hour ?? 0,
          p.minute ?? 0,
          p.second ?? 0,
        ) / 1000;
      off = wall - b * 900;
      this.cache.set(b, off);
    }
    return off;
  }

  /** Wall-clock Date (read with getUTC*) for instant t. */
  wall(t: number): Date {
    return new Date((t + this.offset(t)) * 1000);
  }

  /** ctime(3) text: "Fri Jul  1 14:42:57 2022". */
  ctime(t: number): string {
    const d = this.wall(t);
    const day = d.getUTCDate();
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  }

  /** The short form PBS puts in comments: "Wed Jul 23 at 20:35". */
  commentTime(t: number): string {
    const d = this.wall(t);
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} at ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  }

  /** CCYYMMDDhhmm(.SS) → epoch seconds in this zone (qselect -t, qsub -a). */
  parseStamp(text: string): number | null {
    const m = /^(\d{2})?(\d{2})?(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{2}))?$/.exec(text);
    if (!m || text.replace(/\..*/, '').length < 8) return null;
    const digits = text.replace(/\..*/, '');
    let year: number;
    let rest: string;
    if (digits.length === 12) {
      year = Number(digits.slice(0, 4));
      rest = digits.slice(4);
    } else if (digits.length === 10) {
      year = 2000 + Number(digits.slice(0, 2));
      rest = digits.slice(2);
    } else {
      return null;
    }
    const mo = Number(rest.slice(0, 2));
    const dd = Number(rest.slice(2, 4));
    const hh = Number(rest.slice(4, 6));
    const mi = Number(rest.slice(6, 8));
    const ss = m[7] ? Number(m[7]) : 0;
    if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) return null;
    const guess = Date.UTC(year, mo - 1, dd, hh, mi, ss) / 1000;
    // Two passes settle the offset near a DST change.
    let t = guess - this.offset(guess);
    t = guess - this.offset(t);
    return t;
  }

  /** CCYYMMDDhhmm.SS for an instant (Execution_Time style input). */
  stamp(t: number): string {
    const d = this.wall(t);
    return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}`;
  }

  /** "Today 22:52" / "Sat 00:17" as pbs_rstat prints. */
  rstatTime(t: number, now: number): string {
    const d = this.wall(t);
    const n = this.wall(now);
    const same =
      d.getUTCFullYear() === n.getUTCFullYear() &&
      d.getUTCMonth() === n.getUTCMonth() &&
      d.getUTCDate() === n.getUTCDate();
    return `${same ? 'Today' : DAYS[d.getUTCDay()]} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  }
}

/** Seconds → "HH:MM:SS" with unbounded hours. */
export function hms(s: number): string {
  const v = Math.max(0, Math.floor(s));
  const h = Math.floor(v / 3600);
  const m = Math.floor((v % 3600) / 60);
  return `${pad2(h)}:${pad2(m)}:${pad2(v % 60)}`;
}

/** Parses a duration like 15m, 6h, 7d, 90s, 1h30m, or plain seconds; null when invalid. */
export function parseDuration(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const re = /(\d+)([smhdw])/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * (unit[m[2] as string] as number);
    consumed += m[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : null;
}
