/**
 * `analyze usage`: node-hours and job counts of the jobs that finished in the window, by user,
 * project or queue, largest first, `--top N`. Long windows read the daily rollups (whole UTC
 * days); short ones the jobs table. node-hours = COALESCE(nodes, 1) × (end − start) / 3600.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import type { AnalysisFilter } from './window.js';
import { jobWhere, num0 } from './sql-util.js';
import { rollupWhere, widenToDays } from './rollup-read.js';
import { barSpec } from './plot-specs.js';
import type { Method } from './wait-times.js';

export type UsageBy = 'user' | 'project' | 'queue';

export interface UsageOptions {
  filter: AnalysisFilter;
  by: UsageBy;
  top?: number;
  method?: Method;
  exactMaxDays?: number;
}

const JOB_COL: Record<UsageBy, string> = {
  user: 'j.owner',
  project: 'j.project',
  queue: 'j.queue',
};
const ROLLUP_COL: Record<UsageBy, string> = {
  user: 'r.owner',
  project: 'r.project',
  queue: 'r.queue',
};

/** Computes the usage table. */
export async function usage(db: Kysely<Database>, o: UsageOptions): Promise<AnalysisResult> {
  const days = (o.filter.to - o.filter.from) / 86400;
  const method = o.method ?? 'auto';
  const fromJobs = method === 'exact' || (method === 'auto' && days <= (o.exactMaxDays ?? 62));
  const notes = ['jobs that finished in the window; node-hours = nodes × (end − start)'];
  let rows: Array<{ g: unknown; jobs: unknown; failed: unknown; ns: unknown }>;
  if (fromJobs) {
    const g = sql.raw(`COALESCE(${JOB_COL[o.by]}, '')`);
    rows = (
      await sql<{ g: unknown; jobs: unknown; failed: unknown; ns: unknown }>`
      SELECT ${g} AS g, COUNT(*) AS jobs,
        SUM(CASE WHEN j.exit_status IS NOT NULL AND j.exit_status <> 0 THEN 1 ELSE 0 END) AS failed,
        SUM(CASE WHEN j.start_time IS NOT NULL AND j.end_time >= j.start_time
            THEN COALESCE(j.nodes, 1) * (j.end_time - j.start_time) ELSE 0 END) AS ns
      FROM jobs j WHERE ${jobWhere(o.filter, 'end_time')}
      GROUP BY ${g}`.execute(db)
    ).rows;
  } else {
    const w = widenToDays(o.filter, notes);
    const g = sql.raw(ROLLUP_COL[o.by]);
    rows = (
      await sql<{ g: unknown; jobs: unknown; failed: unknown; ns: unknown }>`
      SELECT ${g} AS g, SUM(r.jobs_finished) AS jobs, SUM(r.jobs_failed) AS failed, SUM(r.node_seconds) AS ns
      FROM job_daily_rollups r WHERE ${rollupWhere(w)}
      GROUP BY ${g} HAVING SUM(r.jobs_finished) > 0`.execute(db)
    ).rows;
  }
  const total = rows.reduce((s, r) => s + num0(r.ns), 0);
  const all = rows
    .map((r) => ({ g: String(r.g), jobs: num0(r.jobs), failed: num0(r.failed), ns: num0(r.ns) }))
    .sort((a, b) => b.ns - a.ns || b.jobs - a.jobs || (a.g < b.g ? -1 : 1));
  const shown = o.top ? all.slice(0, o.top) : all;
  if (o.top && all.length > o.top) notes.push(`top ${o.top} of ${all.length} ${o.by}s shown`);
  const out: Array<Record<string, Cell>> = shown.map((r) => ({
    [o.by]: r.g,
    jobs: r.jobs,
    failed: r.failed,
    node_hours: Math.round((r.ns / 3600) * 100) / 100,
    share_pct: total ? Math.round((r.ns / total) * 1000) / 10 : 0,
  }));
  return {
    title: `Usage by ${o.by}`,
    columns: [o.by, 'jobs', 'failed', 'node_hours', 'share_pct'],
    rows: out,
    notes,
    plot: barSpec({
      title: `Node-hours by ${o.by}`,
      rows: out.map((r) => ({ [o.by]: r[o.by], node_hours: r.node_hours })),
      x: o.by,
      xTitle: o.by,
      y: 'node_hours',
      yTitle: 'node-hours',
    }),
  };
}
