/**
 * `analyze efficiency`: for jobs that finished in the window, walltime used / requested
 * (mean and nearest-rank p50), the share killed at their walltime limit (Exit_status −29,
 * JOB_EXEC_KILL_WALLTIME), the node-hours requested but not used, and CPU efficiency
 * cput / (walltime_used × ncpus) where cput was recorded.
 */
import * as aq from 'arquero';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import type { AnalysisFilter } from './window.js';
import { compareKeys, groupColumn, groupExpr, groupLabel, type JobGroupBy } from './groups.js';
import { jobWhere, num } from './sql-util.js';
import { percentileSorted } from './percentile.js';
import { barSpec } from './plot-specs.js';

/** PBS exit status of a job killed for exceeding its walltime. */
export const EXIT_WALLTIME_KILLED = -29;

export interface EfficiencyOptions {
  filter: AnalysisFilter;
  by: JobGroupBy;
}

const r2 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** Computes the efficiency table. */
export async function efficiency(
  db: Kysely<Database>,
  o: EfficiencyOptions,
): Promise<AnalysisResult> {
  const res = await sql<Record<string, unknown>>`
    SELECT ${groupExpr(o.by)} AS g, j.walltime_requested_s AS req, j.walltime_used_s AS used,
      j.cput_used_s AS cput, j.ncpus AS ncpus, COALESCE(j.nodes, 1) AS nodes, j.exit_status AS exit
    FROM jobs j WHERE ${jobWhere(o.filter, 'end_time')}`.execute(db);
  const n = res.rows.length;
  const cols = {
    g: new Array<unknown>(n),
    ratio: new Array<number | null>(n),
    killed: new Array<number>(n),
    wasted: new Array<number>(n),
    cpu: new Array<number | null>(n),
  };
  res.rows.forEach((r, i) => {
    const req = num(r.req);
    const used = num(r.used);
    const cput = num(r.cput);
    const ncpus = num(r.ncpus);
    cols.g[i] = r.g;
    cols.ratio[i] = req && req > 0 && used !== null ? used / req : null;
    cols.killed[i] = num(r.exit) === EXIT_WALLTIME_KILLED ? 1 : 0;
    cols.wasted[i] =
      req && used !== null ? (Math.max(0, req - used) * (num(r.nodes) ?? 1)) / 3600 : 0;
    cols.cpu[i] = cput !== null && used && ncpus ? cput / (used * ncpus) : null;
  });
  const t = aq
    .table(cols)
    .groupby('g')
    .rollup({
      jobs: aq.op.count(),
      ratios: aq.op.array_agg('ratio'),
      killed: aq.op.sum('killed'),
      wasted: aq.op.sum('wasted'),
      cpus: aq.op.array_agg('cpu'),
    });
  type G = {
    g: unknown;
    jobs: number;
    ratios: Array<number | null>;
    killed: number;
    wasted: number;
    cpus: Array<number | null>;
  };
  const groups = (t.objects() as G[]).sort((a, b) => compareKeys(o.by, a.g, b.g));
  const col = groupColumn(o.by);
  const rows = groups.map((gr) => {
    const ratios = gr.ratios.filter((x): x is number => x !== null).sort((a, b) => a - b);
    const cpus = gr.cpus.filter((x): x is number => x !== null);
    const out: Record<string, Cell> = { [col]: groupLabel(o.by, gr.g) };
    out.jobs = gr.jobs;
    out.walltime_ratio_mean = r2(
      ratios.length ? ratios.reduce((s, x) => s + x, 0) / ratios.length : null,
    );
    out.walltime_ratio_p50 = r2(percentileSorted(ratios, 50));
    out.killed_at_walltime_pct = Math.round((gr.killed / gr.jobs) * 1000) / 10;
    out.unused_node_hours = Math.round(gr.wasted * 100) / 100;
    out.cpu_eff_mean = r2(cpus.length ? cpus.reduce((s, x) => s + x, 0) / cpus.length : null);
    out.jobs_with_cput = cpus.length;
    return out;
  });
  return {
    title: `Efficiency by ${o.by}`,
    columns: [
      col,
      'jobs',
      'walltime_ratio_mean',
      'walltime_ratio_p50',
      'killed_at_walltime_pct',
      'unused_node_hours',
      'cpu_eff_mean',
      'jobs_with_cput',
    ],
    rows,
    notes: [
      'jobs that finished in the window; walltime ratio = used / requested; killed = Exit_status −29; CPU efficiency = cput / (walltime used × ncpus), where cput was recorded',
    ],
    plot: barSpec({
      title: `Walltime and CPU efficiency by ${o.by} (means)`,
      rows: rows.flatMap((r) => [
        {
          group: String(r[col]),
          measure: 'walltime used / requested',
          value: r.walltime_ratio_mean,
        },
        { group: String(r[col]), measure: 'CPU efficiency', value: r.cpu_eff_mean },
      ]),
      x: 'group',
      xTitle: col,
      y: 'value',
      yTitle: 'ratio (0–1)',
      color: 'measure',
    }),
  };
}
