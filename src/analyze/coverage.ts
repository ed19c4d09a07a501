/**
 * Collection coverage of a window from the collection log: the typical interval between runs,
 * the gaps (no run for more than 2.5 × that interval, window edges included) and the share of
 * the window they leave uncovered. Also the one-line data-quality summary every analysis prints.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisFilter, AnalysisWindow } from './window.js';
import { jobWhere, num0, serverWhere } from './sql-util.js';
import { formatDuration } from './format.js';

export interface Coverage {
  runs: number;
  failedRuns: number;
  intervalS: number | null;
  gaps: Array<{ from: number; to: number }>;
  coveredPct: number;
}

/** Computes coverage from run start times (sorted or not). */
export function coverageOf(starts: number[], w: AnalysisWindow, failed = 0): Coverage {
  const s = [...starts].sort((a, b) => a - b);
  if (s.length === 0)
    return {
      runs: 0,
      failedRuns: failed,
      intervalS: null,
      gaps: [{ from: w.from, to: w.to }],
      coveredPct: 0,
    };
  const diffs: number[] = [];
  for (let i = 1; i < s.length; i++) diffs.push((s[i] as number) - (s[i - 1] as number));
  diffs.sort((a, b) => a - b);
  const interval = diffs.length
    ? Math.max(1, diffs[Math.floor((diffs.length - 1) / 2)] as number)
    : null;
  const limit = (interval ?? 3600) * 2.5;
  const gaps: Array<{ from: number; to: number }> = [];
  const points = [w.from, ...s, w.to];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as number;
    const b = points[i] as number;
    if (b - a > limit) gaps.push({ from: a, to: b });
  }
  const uncovered = gaps.reduce((t, g) => t + (g.to - g.from), 0);
  const coveredPct = Math.max(0, Math.round((1 - uncovered / (w.to - w.from)) * 1000) / 10);
  return { runs: s.length, failedRuns: failed, intervalS: interval, gaps, coveredPct };
}

/** Loads run start times of the window (kind 'jobs' when logged, else any kind) and computes coverage. */
export async function loadCoverage(db: Kysely<Database>, f: AnalysisFilter): Promise<Coverage> {
  const srv = f.server ? sql` AND ${serverWhere(f.server, 'l')}` : sql``;
  // the jobs collector runs every cycle: its (kind, started_at) index range is the cheap signal
  const load = (kind: string | null) =>
    sql<{ t: unknown; failed: unknown }>`
    SELECT l.started_at AS t, MAX(CASE WHEN l.status = 'failed' THEN 1 ELSE 0 END) AS failed
    FROM data_collection_log l
    WHERE ${kind === null ? sql`1 = 1` : sql`l.kind = ${kind}`} AND l.started_at >= ${f.from} AND l.started_at < ${f.to}${srv}
    GROUP BY l.started_at`.execute(db);
  let res = await load('jobs');
  if (res.rows.length === 0) res = await load(null);
  const ok = res.rows.filter((r) => num0(r.failed) === 0).map((r) => num0(r.t));
  return coverageOf(ok, f, res.rows.length - ok.length);
}

/** The one-line data-quality summary printed to stderr by every analysis. */
export async function qualityLine(db: Kysely<Database>, f: AnalysisFilter): Promise<string> {
  const c = await loadCoverage(db, f);
  const res = await sql<Record<string, unknown>>`
    SELECT COUNT(*) AS n,
      SUM(CASE WHEN j.lifecycle_quality = 'partial' THEN 1 ELSE 0 END) AS partial,
      SUM(CASE WHEN j.lifecycle_quality = 'final_state_missed' THEN 1 ELSE 0 END) AS missed,
      SUM(CASE WHEN j.end_time_estimated = 1 THEN 1 ELSE 0 END) AS est
    FROM jobs j WHERE ${jobWhere({ ...f, user: undefined, project: undefined, queue: undefined }, 'end_time')}`.execute(
    db,
  );
  const r = res.rows[0] ?? {};
  const longest = c.gaps.reduce((m, g) => Math.max(m, g.to - g.from), 0);
  const cov =
    c.runs === 0
      ? 'no collection runs logged in the window'
      : `collection coverage ${c.coveredPct}% (${c.runs} runs every ~${formatDuration(c.intervalS ?? 0)}, ${c.gaps.length} gap${c.gaps.length === 1 ? '' : 's'}${c.gaps.length ? `, longest ${formatDuration(longest)}` : ''}${c.failedRuns ? `, ${c.failedRuns} failed` : ''})`;
  return `data quality: ${cov}; ${num0(r.n)} jobs finished in window, ${num0(r.partial)} partial lifecycle, ${num0(r.missed)} final state missed, ${num0(r.est)} end time estimated`;
}
