/**
 * The figures the analyses should give, computed independently in plain TypeScript from the
 * emulator's ground truth (`pbs-emu truth`): no SQL, nothing from src/analyze. Percentiles are
 * nearest-rank (rank ceil(p/100·n), 1-based) — the definition src/analyze/percentile.ts documents.
 */
import type { TruthJob } from '../../../src/emulator/api.js';
import { inWindow, nearestRank } from './expected.js';

export interface Window {
  from: number;
  to: number;
}

/** Units of work: array parents never count (their subjobs do), as in the analyses. */
export const workJobs = (truth: TruthJob[]) => truth.filter((t) => !t.is_array_parent);

/**
 * When the job finished: the truth dates F ends (obittime); a subjob whose array is still running
 * sits in X, finished at its X transition (PBS's obittime for it), with no F yet.
 */
export function trueEnd(t: TruthJob): number | null {
  if (t.final_state === 'X') return t.transitions.findLast((x) => x.state === 'X')?.at ?? null;
  return t.end_time;
}

/** When the last run of a job ended (its last E transition), or null if it never ran to an end. */
export function runEnd(t: TruthJob): number | null {
  for (let i = t.transitions.length - 1; i >= 0; i--) {
    const x = t.transitions[i]!;
    if (x.state === 'E') return x.at;
  }
  return null;
}

/** resources_used.walltime of the finished job: end of its last run − its (last) start. */
export function walltimeUsed(t: TruthJob): number | null {
  const end = runEnd(t);
  return t.start_time === null || end === null ? null : end - t.start_time;
}

const groupBy = <K>(jobs: TruthJob[], key: (t: TruthJob) => K) => {
  const m = new Map<K, TruthJob[]>();
  for (const j of jobs) m.set(key(j), [...(m.get(key(j)) ?? []), j]);
  return m;
};

const sortedKeys = (m: Map<string, unknown>) => [...m.keys()].sort();

/** wait-times rows by queue: jobs started in the window, wait = start − eligible (or submit). */
export function expectedWaitTimes(truth: TruthJob[], w: Window, basis: 'eligible' | 'queued') {
  const started = workJobs(truth).filter((t) => {
    const b = basis === 'eligible' ? t.eligible_time : t.submit_time;
    return inWindow(t.start_time, w.from, w.to) && b !== null && t.start_time! >= b;
  });
  const byQueue = groupBy(started, (t) => t.queue);
  return sortedKeys(byQueue).map((queue) => {
    const waits = byQueue
      .get(queue)!
      .map((t) => t.start_time! - (basis === 'eligible' ? t.eligible_time! : t.submit_time));
    return {
      queue,
      jobs: waits.length,
      mean_s: Math.round(waits.reduce((s, x) => s + x, 0) / waits.length),
      p50_s: nearestRank(waits, 50),
      p90_s: nearestRank(waits, 90),
      p99_s: nearestRank(waits, 99),
      max_s: Math.max(...waits),
    };
  });
}

/** Jobs that finished (reached F) in the window. */
export const finishedIn = (truth: TruthJob[], w: Window) =>
  workJobs(truth).filter((t) => inWindow(trueEnd(t), w.from, w.to));

/** usage rows: node-hours = nodes × (end − start) of the jobs finished in the window; top n. */
export function expectedUsage(truth: TruthJob[], w: Window, by: 'owner' | 'project', top: number) {
  const groups = groupBy(finishedIn(truth, w), (t) => t[by]);
  const all = [...groups].map(([g, jobs]) => ({
    g,
    jobs: jobs.length,
    failed: jobs.filter((t) => t.exit_status !== null && t.exit_status !== 0).length,
    ns: jobs.reduce(
      (s, t) => s + (t.start_time !== null ? t.nodes * (trueEnd(t)! - t.start_time) : 0),
      0,
    ),
  }));
  all.sort((a, b) => b.ns - a.ns || b.jobs - a.jobs || (a.g < b.g ? -1 : 1));
  const total = all.reduce((s, r) => s + r.ns, 0);
  return all.slice(0, top).map((r) => ({
    [by === 'owner' ? 'user' : 'project']: r.g,
    jobs: r.jobs,
    failed: r.failed,
    node_hours: Math.round((r.ns / 3600) * 100) / 100,
    share_pct: Math.round((r.ns / total) * 1000) / 10,
  }));
}

/** efficiency rows by queue, without the CPU columns (the truth has no cput). */
export function expectedEfficiency(truth: TruthJob[], w: Window) {
  const byQueue = groupBy(finishedIn(truth, w), (t) => t.queue);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return sortedKeys(byQueue).map((queue) => {
    const jobs = byQueue.get(queue)!;
    const ratios: number[] = [];
    let unused = 0;
    for (const t of jobs) {
      const used = walltimeUsed(t);
      if (used === null) continue;
      ratios.push(used / t.walltime);
      unused += (Math.max(0, t.walltime - used) * t.nodes) / 3600;
    }
    return {
      queue,
      jobs: jobs.length,
      walltime_ratio_mean: ratios.length
        ? r3(ratios.reduce((s, x) => s + x, 0) / ratios.length)
        : null,
      walltime_ratio_p50: ratios.length ? r3(nearestRank(ratios, 50)!) : null,
      killed_at_walltime_pct:
        Math.round((jobs.filter((t) => t.exit_status === -29).length / jobs.length) * 1000) / 10,
      unused_node_hours: Math.round(unused * 100) / 100,
    };
  });
}

/** throughput rows: jobs started / finished / failed per UTC day of the window. */
export function expectedThroughput(truth: TruthJob[], w: Window) {
  const days = new Map<number, { started: number; finished: number; failed: number }>();
  const at = (t: number) => {
    const d = Math.floor(t / 86400) * 86400;
    if (!days.has(d)) days.set(d, { started: 0, finished: 0, failed: 0 });
    return days.get(d)!;
  };
  for (const t of workJobs(truth)) {
    if (inWindow(t.start_time, w.from, w.to)) at(t.start_time).started++;
    const end = trueEnd(t);
    if (inWindow(end, w.from, w.to)) {
      const e = at(end);
      e.finished++;
      if (t.exit_status !== null && t.exit_status !== 0) e.failed++;
    }
  }
  return [...days.keys()]
    .sort((a, b) => a - b)
    .map((d) => ({ day: new Date(d * 1000).toISOString().slice(0, 10), ...days.get(d)! }));
}

/**
 * What the histogram (rollup) method reports for a nearest-rank percentile: the upper edge of
 * the fixed wait bucket holding the exact value (the lower edge for the open last bucket).
 */
export function bucketUpperEdge(value: number | null, edges: readonly number[]): number | null {
  if (value === null) return null;
  return edges.find((e) => e > value) ?? edges[edges.length - 1]!;
}
