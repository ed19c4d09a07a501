/** How values look: durations, sizes and instants for tables (humane) and for JSON/CSV (exact). */

/** `HH:MM:SS` under a day, `1d 02:03:04` from a day on; null → ''. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const neg = seconds < 0;
  let s = Math.round(Math.abs(seconds));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${neg ? '-' : ''}${days > 0 ? `${days}d ` : ''}${hh}:${mm}:${ss}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Binary units with one decimal when below 10 of a unit: `512 B`, `1.5 GiB`, `24 GiB`. */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '';
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u += 1;
  }
  const text = u === 0 || v >= 10 ? String(Math.round(v)) : (Math.round(v * 10) / 10).toString();
  return `${bytes < 0 ? '-' : ''}${text} ${UNITS[u]}`;
}

/** ISO-8601 UTC without milliseconds (`2026-11-27T22:47:55Z`); null → null. */
export function isoUtc(epochSeconds: number | null | undefined): string | null {
  if (epochSeconds === null || epochSeconds === undefined || !Number.isFinite(epochSeconds))
    return null;
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `YYYY-MM-DD HH:MM` in the local zone (TZ) from epoch seconds or an ISO string. */
export function localTime(value: number | string | null | undefined, timeZone?: string): string {
  if (value === null || value === undefined || value === '') return '';
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  const parts: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
