/**
 * `analyze throughput`: jobs started and finished per UTC day (with failures: non-zero exit),
 * or with `--by exit` the finished jobs by exit status.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import type { AnalysisFilter } from './window.js';
import { dayExpr, jobWhere, num0 } from './sql-util.js';
import { barSpec, lineSpec } from './plot-specs.js';

export type ThroughputBy = 'day' | 'exit';

export interface ThroughputOptions {
  filter: AnalysisFilter;
  by: ThroughputBy;
}

const isoDay = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

/** Computes the throughput table. */
export async function throughput(
  db: Kysely<Database>,
  o: ThroughputOptions,
): Promise<AnalysisResult> {
  if (o.by === 'exit') return byExit(db, o);
  const started = await sql<{ d: unknown; n: unknown }>`
    SELECT ${dayExpr('j.start_time')} AS d, COUNT(*) AS n FROM jobs j
    WHERE ${jobWhere(o.filter, 'start_time')} GROUP BY ${dayExpr('j.start_time')}`.execute(db);
  const finished = await sql<{ d: unknown; n: unknown; f: unknown }>`
    SELECT ${dayExpr('j.end_time')} AS d, COUNT(*) AS n,
      SUM(CASE WHEN j.exit_status IS NOT NULL AND j.exit_status <> 0 THEN 1 ELSE 0 END) AS f
    FROM jobs j WHERE ${jobWhere(o.filter, 'end_time')} GROUP BY ${dayExpr('j.end_time')}`.execute(
    db,
  );
  const days = new Map<number, { started: number; finished: number; failed: number }>();
  const get = (d: number) => {
    let e = days.get(d);
    if (!e) days.set(d, (e = { started: 0, finished: 0, failed: 0 }));
    return e;
  };
  for (const r of started.rows) get(num0(r.d)).started = num0(r.n);
  for (const r of finished.rows) {
    const e = get(num0(r.d));
    e.finished = num0(r.n);
    e.failed = num0(r.f);
  }
  const keys = [...days.keys()].sort((a, b) => a - b);
  const rows: Array<Record<string, Cell>> = keys.map((d) => ({ day: isoDay(d), ...days.get(d)! }));
  return {
    title: 'Throughput per day',
    columns: ['day', 'started', 'finished', 'failed'],
    rows,
    notes: ['UTC days; failed = finished with a non-zero exit status'],
    plot: lineSpec({
      title: 'Jobs started / finished per day',
      rows: keys.flatMap((d) => [
        { t: d, series: 'started', jobs: days.get(d)!.started },
        { t: d, series: 'finished', jobs: days.get(d)!.finished },
        { t: d, series: 'failed', jobs: days.get(d)!.failed },
      ]),
      x: 't',
      xTitle: 'day (UTC)',
      y: 'jobs',
      yTitle: 'jobs per day',
      color: 'series',
      daily: true,
    }),
  };
}

async function byExit(db: Kysely<Database>, o: ThroughputOptions): Promise<AnalysisResult> {
  const res = await sql<{ e: unknown; n: unknown }>`
    SELECT j.exit_status AS e, COUNT(*) AS n FROM jobs j
    WHERE ${jobWhere(o.filter, 'end_time')} GROUP BY j.exit_status`.execute(db);
  const total = res.rows.reduce((s, r) => s + num0(r.n), 0);
  const rows = res.rows
    .map((r) => ({ exit_status: r.e === null ? 'unknown' : String(num0(r.e)), jobs: num0(r.n) }))
    .sort((a, b) => b.jobs - a.jobs || (a.exit_status < b.exit_status ? -1 : 1))
    .map((r) => ({
      ...r,
      share_pct: total ? Math.round((r.jobs / total) * 1000) / 10 : 0,
      meaning: meaning(r.exit_status),
    }));
  return {
    title: 'Finished jobs by exit status',
    columns: ['exit_status', 'jobs', 'share_pct', 'meaning'],
    rows,
    notes: ['jobs that finished in the window'],
    plot: barSpec({
      title: 'Finished jobs by exit status',
      rows,
      x: 'exit_status',
      xTitle: 'exit status',
      y: 'jobs',
      yTitle: 'jobs',
    }),
  };
}

/** What PBS exit statuses mean (negative: PBS killed or never ran the job; >256: signal + 256). */
function meaning(e: string): string {
  const n = Number(e);
  if (e === 'unknown') return 'not recorded';
  if (n === 0) return 'success';
  if (n === -29) return 'killed: walltime exceeded';
  if (n === -1) return 'job exec failed';
  if (n === -11) return 'job deleted / rerun failed';
  if (n < 0) return 'PBS could not run or finish the job';
  if (n > 256) return `killed by signal ${n - 256}`;
  return 'non-zero exit of the job script';
}
