/**
 * `analyze wait-times`: queue wait of the jobs that started in the window — start − eligible
 * time (default) or start − queue time — as count, mean, nearest-rank p50/p90/p99 and max, per
 * group. Short windows are exact (waits loaded into an arquero table); long windows aggregate a
 * histogram (GROUP BY on PostgreSQL, a chunked one-pass scan on SQLite; from the daily rollups
 * when the basis is `queued` and the grouping allows), so their percentiles are approximate:
 * the upper edge of the wait bucket holding the rank.
 */
import * as aq from 'arquero';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import type { AnalysisFilter } from './window.js';
import {
  compareKeys,
  groupAxisTitle,
  groupColumn,
  groupExpr,
  groupLabel,
  type JobGroupBy,
} from './groups.js';
import { jobWhere, num, num0 } from './sql-util.js';
import { summarize } from './percentile.js';
import {
  addHistogram,
  emptyHistogram,
  histogramPercentile,
  parseHistogram,
  waitBucket,
  waitBucketSql,
} from './wait-buckets.js';
import { rollupWhere, widenToDays } from './rollup-read.js';
import { barSpec } from './plot-specs.js';
import { dialectOf } from '../store/dialect.js';

export type WaitBasis = 'eligible' | 'queued';
export type Method = 'auto' | 'exact' | 'approx';

export interface WaitTimesOptions {
  filter: AnalysisFilter;
  basis: WaitBasis;
  by: JobGroupBy;
  method?: Method;
  /** windows longer than this many days use the approximate method under `auto` (default 62) */
  exactMaxDays?: number;
}

const ROLLUP_GROUPS: Partial<Record<JobGroupBy, string>> = {
  none: "'all'",
  queue: 'queue',
  user: 'owner',
  project: 'project',
};

/** Computes the wait-time table. */
export async function waitTimes(
  db: Kysely<Database>,
  o: WaitTimesOptions,
): Promise<AnalysisResult> {
  const days = (o.filter.to - o.filter.from) / 86400;
  const method = o.method ?? 'auto';
  const exact = method === 'exact' || (method === 'auto' && days <= (o.exactMaxDays ?? 62));
  const basisCol = o.basis === 'eligible' ? 'eligible_time' : 'queue_time';
  const notes = [
    `wait = start − ${o.basis === 'eligible' ? 'eligible time (etime)' : 'queue time (qtime)'}, jobs that started in the window; percentiles are nearest-rank`,
  ];
  let groups: Array<{ key: unknown; s: ReturnType<typeof summarize> }>;
  if (exact) {
    groups = await exactGroups(db, o, basisCol);
  } else {
    const viaRollups = o.basis === 'queued' && ROLLUP_GROUPS[o.by] !== undefined;
    groups = viaRollups ? await rollupGroups(db, o, notes) : await histogramGroups(db, o, basisCol);
    notes.push(
      `percentiles are APPROXIMATE (${viaRollups ? 'daily rollup' : 'SQL'} histogram: upper edge of the bucket holding the rank); use --exact for exact values`,
    );
  }
  groups.sort((a, b) => compareKeys(o.by, a.key, b.key));
  const col = groupColumn(o.by);
  const rows = groups.map(({ key, s }) => {
    const r: Record<string, Cell> = { [col]: groupLabel(o.by, key) };
    r.jobs = s.count;
    r.mean_s = s.mean === null ? null : Math.round(s.mean);
    r.p50_s = s.p50;
    r.p90_s = s.p90;
    r.p99_s = s.p99;
    r.max_s = s.max;
    return r;
  });
  return {
    title: `Queue wait (${o.basis}) by ${o.by}`,
    columns: [col, 'jobs', 'mean_s', 'p50_s', 'p90_s', 'p99_s', 'max_s'],
    rows,
    notes,
    plot: barSpec({
      title: `Queue wait by ${o.by} (${o.basis} basis)`,
      rows: rows.flatMap((r) =>
        (['p50_s', 'p90_s'] as const).map((k) => ({
          group: String(r[col]),
          percentile: k.replace('_s', ''),
          hours: r[k] === null ? null : Number(r[k]) / 3600,
        })),
      ),
      x: 'group',
      xTitle: groupAxisTitle(o.by),
      y: 'hours',
      yTitle: 'wait (hours)',
      color: 'percentile',
    }),
  };
}

async function exactGroups(db: Kysely<Database>, o: WaitTimesOptions, basisCol: string) {
  const b = sql.ref(`j.${basisCol}`);
  const res = await sql<{ g: unknown; w: unknown }>`
    SELECT ${groupExpr(o.by)} AS g, j.start_time - ${b} AS w
    FROM jobs j
    WHERE ${jobWhere(o.filter, 'start_time')} AND ${b} IS NOT NULL AND j.start_time >= ${b}`.execute(
    db,
  );
  const g = new Array<unknown>(res.rows.length);
  const w = new Float64Array(res.rows.length);
  res.rows.forEach((r, i) => {
    g[i] = r.g;
    w[i] = num0(r.w);
  });
  // arquero plays pandas' part: group the loaded waits, collect each group's values
  const t = aq
    .table({ g, w })
    .groupby('g')
    .rollup({ ws: aq.op.array_agg('w') });
  return (t.objects() as Array<{ g: unknown; ws: number[] }>).map((r) => ({
    key: r.g,
    s: summarize(r.ws),
  }));
}

type HistRow = { g: unknown; b: unknown; n: unknown; s: unknown; m?: unknown };

function fromHistRows(rows: HistRow[], withMax: boolean) {
  const acc = new Map<
    string,
    { key: unknown; h: number[]; n: number; sum: number; max: number | null }
  >();
  for (const r of rows) {
    const id = String(r.g);
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { key: r.g, h: emptyHistogram(), n: 0, sum: 0, max: null }));
    const n = num0(r.n);
    a.h[num0(r.b)] = (a.h[num0(r.b)] ?? 0) + n;
    a.n += n;
    a.sum += num0(r.s);
    if (withMax) a.max = Math.max(a.max ?? 0, num(r.m) ?? 0);
  }
  return [...acc.values()].map((a) => ({ key: a.key, s: histSummary(a.h, a.n, a.sum, a.max) }));
}

function histSummary(h: number[], n: number, sum: number, max: number | null) {
  return {
    count: n,
    mean: n ? sum / n : null,
    p50: histogramPercentile(h, 50),
    p90: histogramPercentile(h, 90),
    p99: histogramPercentile(h, 99),
    max,
  };
}

async function histogramGroups(db: Kysely<Database>, o: WaitTimesOptions, basisCol: string) {
  if (dialectOf(db) === 'sqlite') return histogramGroupsSqlite(db, o, basisCol);
  const b = sql.ref(`j.${basisCol}`);
  const bucket = sql.raw(waitBucketSql('x.w'));
  // PostgreSQL hash-aggregates: the whole histogram in one GROUP BY
  const res = await sql<HistRow>`
    SELECT x.g AS g, ${bucket} AS b, COUNT(*) AS n, SUM(x.w) AS s, MAX(x.w) AS m
    FROM (SELECT ${groupExpr(o.by)} AS g, j.start_time - ${b} AS w FROM jobs j
      WHERE ${jobWhere(o.filter, 'start_time')} AND ${b} IS NOT NULL AND j.start_time >= ${b}) x
    GROUP BY x.g, ${bucket}`.execute(db);
  return fromHistRows(res.rows, true);
}

/** Rows per id range read by the SQLite histogram (two JSON arrays of at most this length). */
const SQLITE_CHUNK = 250_000;

/**
 * SQLite has no hash aggregate: GROUP BY sorts every job (measured 4–5× slower than this over a
 * year of 1M jobs). Instead each id range is ONE aggregate without GROUP BY — two JSON arrays
 * (group, wait) in scan order — folded into the histograms here. `+start_time` keeps the scan
 * sequential (rowid range) instead of a table lookup per jobs_start_idx entry.
 */
async function histogramGroupsSqlite(db: Kysely<Database>, o: WaitTimesOptions, basisCol: string) {
  const b = sql.ref(`j.${basisCol}`);
  const span = await sql<{ lo: unknown; hi: unknown }>`
    SELECT MIN(id) AS lo, MAX(id) AS hi FROM jobs`.execute(db);
  const lo = num0(span.rows[0]?.lo) - 1;
  const hi = num0(span.rows[0]?.hi);
  const acc = new Map<string, HistAcc>();
  for (let from = lo; from < hi; from += SQLITE_CHUNK) {
    const res = await sql<{ g: string; w: string }>`
      SELECT json_group_array(${groupExpr(o.by)}) AS g, json_group_array(j.start_time - ${b}) AS w
      FROM jobs j
      WHERE j.id > ${from} AND j.id <= ${from + SQLITE_CHUNK}
        AND ${jobWhere(o.filter, 'start_time', 'j', true)} AND ${b} IS NOT NULL
        AND j.start_time >= ${b}`.execute(db);
    const g = JSON.parse(res.rows[0]?.g ?? '[]') as unknown[];
    const w = JSON.parse(res.rows[0]?.w ?? '[]') as number[];
    for (let i = 0; i < g.length; i++) {
      const key = g[i];
      const id = String(key);
      let a = acc.get(id);
      if (!a) acc.set(id, (a = { key, h: emptyHistogram(), n: 0, sum: 0, max: 0 }));
      const x = w[i] as number;
      const k = waitBucket(x);
      a.h[k] = (a.h[k] as number) + 1;
      a.n++;
      a.sum += x;
      if (x > a.max) a.max = x;
    }
  }
  return [...acc.values()].map((a) => ({ key: a.key, s: histSummary(a.h, a.n, a.sum, a.max) }));
}

interface HistAcc {
  key: unknown;
  h: number[];
  n: number;
  sum: number;
  max: number;
}

async function rollupGroups(db: Kysely<Database>, o: WaitTimesOptions, notes: string[]) {
  const w = widenToDays(o.filter, notes);
  const g = sql.raw(ROLLUP_GROUPS[o.by] as string);
  const res = await sql<{ g: unknown; n: unknown; s: unknown; h: string }>`
    SELECT ${g} AS g, wait_count AS n, wait_sum_s AS s, wait_hist AS h
    FROM job_daily_rollups r WHERE ${rollupWhere(w)} AND wait_count > 0`.execute(db);
  const acc = new Map<string, { key: unknown; h: number[]; n: number; sum: number }>();
  for (const r of res.rows) {
    const id = String(r.g);
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { key: r.g, h: emptyHistogram(), n: 0, sum: 0 }));
    addHistogram(a.h, parseHistogram(r.h));
    a.n += num0(r.n);
    a.sum += num0(r.s);
  }
  notes.push('max is not kept in the rollups (shown empty)');
  return [...acc.values()].map((a) => ({ key: a.key, s: histSummary(a.h, a.n, a.sum, null) }));
}
