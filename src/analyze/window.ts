/**
 * The time window and filters shared by every analysis: `--days N` / `--since` / `--until`,
 * `--user`, `--project`, `--queue`, `--server`. Times are UTC epoch seconds; the window is
 * half-open [from, to).
 */
import { UsageError } from '../cli/errors.js';

export const DAY = 86_400;

export interface WindowFlags {
  days?: string | number;
  since?: string;
  until?: string;
}

export interface FilterFlags extends WindowFlags {
  user?: string;
  project?: string;
  queue?: string;
  server?: string;
}

export interface AnalysisWindow {
  from: number;
  to: number;
}

export interface AnalysisFilter extends AnalysisWindow {
  user?: string;
  project?: string;
  queue?: string;
  /** server name; all servers when absent */
  server?: string;
}

/** Parses a time flag: epoch seconds, `YYYY-MM-DD` (UTC midnight), or ISO date-time (UTC unless it has a zone). */
export function parseInstant(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d{9,11}$/.test(t)) return Number(t);
  let iso = t;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) iso = `${t}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(t)) iso = `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t) || Number.isNaN(ms)) {
    throw new UsageError(
      `${flag}: cannot read '${text}' as a time (use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] or epoch seconds)`,
    );
  }
  return Math.floor(ms / 1000);
}

/** Resolves the window flags against `now` (default: the last `defaultDays` days). */
export function resolveWindow(flags: WindowFlags, now: number, defaultDays = 30): AnalysisWindow {
  const to = flags.until !== undefined ? parseInstant(flags.until, '--until') : now;
  let from: number;
  if (flags.since !== undefined) {
    if (flags.days !== undefined) throw new UsageError('use either --days or --since, not both');
    from = parseInstant(flags.since, '--since');
  } else {
    const days = flags.days === undefined ? defaultDays : Number(flags.days);
    if (!Number.isFinite(days) || days <= 0) {
      throw new UsageError(`--days must be a positive number, got '${flags.days}'`);
    }
    from = to - Math.round(days * DAY);
  }
  if (from >= to) throw new UsageError('the window is empty: --since must be before --until');
  return { from, to };
}

/** Resolves window and filters. */
export function resolveFilter(flags: FilterFlags, now: number, defaultDays = 30): AnalysisFilter {
  const f: AnalysisFilter = resolveWindow(flags, now, defaultDays);
  if (flags.user) f.user = flags.user;
  if (flags.project) f.project = flags.project;
  if (flags.queue) f.queue = flags.queue;
  if (flags.server) f.server = flags.server;
  return f;
}

/** UTC midnight at or before `t`. */
export function dayOf(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/** Human text for a window: `2026-11-01 00:00 → 2026-11-28 00:00 UTC`. */
export function describeWindow(w: AnalysisWindow): string {
  const f = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return `${f(w.from)} → ${f(w.to)} UTC`;
}
