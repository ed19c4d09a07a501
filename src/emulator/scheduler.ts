/** One scheduling cycle: priority order, start what fits, hold a slot for the top job, backfill behind it. */
import { startJob } from './lifecycle.js';
import type { Sim } from './sim.js';
import type { EmuJob } from './types.js';

const WINDOW = 300;
const ESTIMATED = 10;
const NOT_ENOUGH = 'Not Running: Not enough free nodes available';

function priorityOf(sim: Sim): Map<string, number> {
  const m = new Map<string, number>();
  for (const q of sim.cfg.queues) m.set(q.name, q.priority ?? 0);
  return m;
}

/** Runs one cycle at t. */
export function schedule(sim: Sim, t: number): void {
  scheduleReservations(sim, t);
  if (sim.queued.size === 0) return;
  const prio = priorityOf(sim);
  const jobs: EmuJob[] = [];
  for (const k of sim.queued) {
    const j = sim.job(k);
    if (j && j.state === 'Q' && j.idx !== -1) jobs.push(j);
  }
  jobs.sort(
    (a, b) =>
      (prio.get(b.queue) ?? 0) - (prio.get(a.queue) ?? 0) ||
      (a.etime ?? 0) - (b.etime ?? 0) ||
      a.seq - b.seq ||
      (a.idx ?? 0) - (b.idx ?? 0),
  );
  // Release timeline of running jobs, by the end their walltime allows.
  const releases: [number, number[], number][] = [];
  for (const k of sim.running) {
    const r = sim.job(k);
    if (r && r.execNodes && !r.resv)
      releases.push([(r.stime ?? t) + r.walltime, r.execNodes, r.seq * 100_000 + (r.idx ?? 0)]);
  }
  // Ties broken by job id so that the result does not depend on the order jobs were loaded in.
  releases.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  let shadow = Infinity;
  let extra = 0;
  let blocked = 0;
  let relPos = 0;
  let relFree = 0;
  const relNodes: number[] = [];
  const n = Math.min(jobs.length, WINDOW);
  for (let i = 0; i < n; i++) {
    const j = jobs[i] as EmuJob;
    const end = t + j.walltime;
    const canNow = j.nodes <= sim.freeCount && sim.usableFree(t, end) >= j.nodes;
    const backfillOk = blocked === 0 || end <= shadow || j.nodes <= extra;
    if (canNow && backfillOk) {
      const nodes = sim.allocate(j.nodes, t, end);
      if (nodes) {
        if (blocked > 0 && end > shadow) extra -= j.nodes;
        startJob(sim, j, nodes, t);
        continue;
      }
    }
    if (j.nodes > sim.cfg.nodeCount) {
      setComment(
        sim,
        j,
        t,
        `Can Never Run: Insufficient amount of resource: nodect (R: ${j.nodes} A: ${sim.cfg.nodeCount} T: ${sim.cfg.nodeCount})`,
      );
      continue;
    }
    setComment(sim, j, t, NOT_ENOUGH);
    if (blocked < ESTIMATED) {
      // Walk the release timeline until enough nodes are (cumulatively) free for this job.
      const need = j.nodes + (blocked === 0 ? 0 : 0);
      let have = sim.freeCount + relFree;
      while (have < need && relPos < releases.length) {
        const [, nodes] = releases[relPos++] as [number, number[], number];
        relFree += nodes.length;
        relNodes.push(...nodes);
        have += nodes.length;
      }
      const at =
        relPos > 0
          ? Math.max(t + 1, (releases[relPos - 1] as [number, number[], number])[0])
          : t + 1;
      if (have >= need) {
        // Only recompute the estimated vnodes when the estimated start moved (scanning nodes is the costly part).
        if (!j.est || j.est.start !== at)
          j.est = { start: at, nodes: estimateNodes(sim, j.nodes, relNodes) };
        if (blocked === 0) {
          shadow = at;
          extra = have - need;
        }
      } else if (blocked === 0) {
        shadow = Infinity;
        extra = 0;
      }
    }
    blocked++;
  }
}

function estimateNodes(sim: Sim, count: number, released: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < sim.free.length && out.length < count; i++)
    if (sim.free[i] === 1) out.push(i);
  for (const i of released) {
    if (out.length >= count) break;
    out.push(i);
  }
  return out;
}

function setComment(sim: Sim, j: EmuJob, t: number, text: string): void {
  if (j.comment !== text) {
    j.comment = text;
    j.mtime = t;
  }
}

/** Jobs in a running reservation's queue run on its nodes only. */
function scheduleReservations(sim: Sim, t: number): void {
  for (const r of Object.values(sim.st.resvs)) {
    if (r.state !== 'RESV_RUNNING') continue;
    const end = r.start + r.duration;
    for (const k of r.jobs) {
      const j = sim.job(k);
      if (!j || j.state !== 'Q') continue;
      const idle = r.nodeIdx.filter((i) => {
        const node = sim.st.nodes[i];
        return node && !node.bad && node.jobs.length === 0;
      });
      if (idle.length < j.nodes || t + Math.min(j.walltime, j.runtime) >= end) continue;
      j.resv = r.id;
      startJob(sim, j, idle.slice(0, j.nodes), t);
    }
  }
}
