/**
 * `analyze quality`: the data-quality report — collection coverage and gaps, failed runs and
 * repairs (collection log), jobs with partial lifecycles or missed final states, duplicates,
 * and rule violations (end before start, start before queue time, impossible values).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import type { AnalysisFilter } from './window.js';
import { jobWhere, num0, serverWhere } from './sql-util.js';
import { loadCoverage } from './coverage.js';
import { formatDuration } from './format.js';
import { describeWindow } from './window.js';

/** Computes the data-quality report for the window. */
export async function qualityReport(
  db: Kysely<Database>,
  f: AnalysisFilter,
  now: number,
): Promise<AnalysisResult> {
  const rows: Array<Record<string, Cell>> = [];
  const add = (check: string, value: number | string, detail = '') =>
    rows.push({ check, value, detail });
  const c = await loadCoverage(db, f);
  add('collection coverage %', c.coveredPct, describeWindow(f));
  add(
    'collection runs',
    c.runs,
    c.intervalS ? `typical interval ${formatDuration(c.intervalS)}` : '',
  );
  add(
    'collection gaps',
    c.gaps.length,
    c.gaps
      .slice(0, 5)
      .map((g) => `${describeWindow(g)} (${formatDuration(g.to - g.from)})`)
      .join('; ') + (c.gaps.length > 5 ? ' …' : ''),
  );
  const srvL = f.server ? sql` AND ${serverWhere(f.server, 'l')}` : sql``;
  const log = await sql<Record<string, unknown>>`
    SELECT l.status AS status, COUNT(*) AS n, SUM(l.repairs) AS repairs, MAX(l.error) AS err
    FROM data_collection_log l WHERE l.started_at >= ${f.from} AND l.started_at < ${f.to}${srvL}
    GROUP BY l.status`.execute(db);
  const by = (s: string) => log.rows.find((r) => r.status === s);
  add('failed collection runs (all kinds)', num0(by('failed')?.n), String(by('failed')?.err ?? ''));
  add('partial collection runs', num0(by('partial')?.n));
  add(
    'repairs of malformed PBS output',
    log.rows.reduce((s, r) => s + num0(r.repairs), 0),
  );

  const jw = jobWhere(f, 'end_time');
  const q = await sql<Record<string, unknown>>`
    SELECT COUNT(*) AS n,
      SUM(CASE WHEN j.lifecycle_quality = 'partial' THEN 1 ELSE 0 END) AS partial,
      SUM(CASE WHEN j.lifecycle_quality = 'final_state_missed' THEN 1 ELSE 0 END) AS missed,
      SUM(CASE WHEN j.end_time_estimated = 1 THEN 1 ELSE 0 END) AS est,
      SUM(CASE WHEN j.start_time IS NOT NULL AND j.end_time < j.start_time THEN 1 ELSE 0 END) AS end_before_start,
      SUM(CASE WHEN j.start_time IS NULL THEN 1 ELSE 0 END) AS no_start,
      SUM(CASE WHEN j.start_time IS NOT NULL AND j.queue_time IS NOT NULL AND j.start_time < j.queue_time THEN 1 ELSE 0 END) AS start_before_queue,
      SUM(CASE WHEN j.submit_time IS NOT NULL AND j.queue_time IS NOT NULL AND j.queue_time < j.submit_time THEN 1 ELSE 0 END) AS queue_before_submit,
      SUM(CASE WHEN j.end_time > ${now} THEN 1 ELSE 0 END) AS future,
      SUM(CASE WHEN j.nodes <= 0 OR j.ncpus <= 0 OR j.walltime_requested_s < 0 OR j.walltime_used_s < 0 OR j.cput_used_s < 0 THEN 1 ELSE 0 END) AS negative,
      SUM(CASE WHEN j.walltime_used_s IS NOT NULL AND j.walltime_requested_s IS NOT NULL AND j.walltime_used_s > j.walltime_requested_s + 3600 THEN 1 ELSE 0 END) AS over_wall,
      SUM(CASE WHEN j.cput_used_s IS NOT NULL AND j.walltime_used_s IS NOT NULL AND j.ncpus IS NOT NULL AND j.cput_used_s > j.walltime_used_s * j.ncpus * 1.1 + 60 THEN 1 ELSE 0 END) AS over_cpu
    FROM jobs j WHERE ${jw}`.execute(db);
  const r = q.rows[0] ?? {};
  add('jobs finished in window', num0(r.n));
  add('jobs with partial lifecycle', num0(r.partial), 'some transitions were not observed');
  add('jobs whose final state was missed', num0(r.missed), 'left PBS history before a final poll');
  add('jobs with estimated end time', num0(r.est));
  add('violation: end before start', num0(r.end_before_start));
  add(
    'violation: finished without a start time',
    num0(r.no_start),
    'deleted while queued, or start not seen',
  );
  add('violation: start before queue time', num0(r.start_before_queue));
  add('violation: queue time before submit time', num0(r.queue_before_submit));
  add('violation: end time in the future', num0(r.future));
  add('violation: negative or zero resources', num0(r.negative));
  add('violation: walltime used > requested + 1h', num0(r.over_wall));
  add('violation: cput > 1.1 × walltime × ncpus', num0(r.over_cpu));

  const dup = await sql<Record<string, unknown>>`
    SELECT COUNT(*) AS n FROM (
      SELECT h.job_row_id FROM job_history h
      WHERE h.observed_at >= ${f.from} AND h.observed_at < ${f.to}
      GROUP BY h.job_row_id, h.to_state, h.from_state, h.observed_at HAVING COUNT(*) > 1) d`.execute(
    db,
  );
  add('duplicate transitions (same job, states and time)', num0(dup.rows[0]?.n));
  const dupJobs = await sql<Record<string, unknown>>`
    SELECT COUNT(*) AS n FROM (SELECT j.server_id FROM jobs j WHERE ${jw} GROUP BY j.server_id, j.job_id HAVING COUNT(*) > 1) d`.execute(
    db,
  );
  add('duplicate job rows (same server and job id)', num0(dupJobs.rows[0]?.n));
  return {
    title: 'Data quality',
    columns: ['check', 'value', 'detail'],
    rows,
    notes: [
      'jobs: those that finished in the window (with the filters); collection: all runs in the window',
    ],
    plot: null,
  };
}
