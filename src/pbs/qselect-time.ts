/**
 * The `qselect -t` time operand. PBS quirk: the short `hhmm` form silently matches nothing
 * for past times, so we always send the full `CCYYMMDDhhmm.SS` form, in the zone PBS reads it in.
 */

/** Formats epoch seconds as `CCYYMMDDhhmm.SS` in `timeZone` (IANA; undefined = this machine's zone). */
export function formatQselectTime(epochSeconds: number, timeZone?: string | null): string {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone ?? undefined,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(epochSeconds * 1000))) parts[p.type] = p.value;
  return `${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}.${parts.second}`;
}
