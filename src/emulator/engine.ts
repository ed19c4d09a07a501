/** Event dispatch: what each kind of event does to the cluster. */
import type { SimEvent } from './heap.js';
import { deleteJob, endRun, obit, requeueJob } from './lifecycle.js';
import { schedule } from './scheduler.js';
import type { Sim } from './sim.js';
import type { EmuResv } from './types.js';
import { newJob, rhythm, submitSynthetic, submitTrace } from './workload.js';

const DOWN_COMMENTS = [
  'node down: communication closed',
  'Set by admin: hardware diagnostics, ticket HW-',
  'offline by mom: node health check failed (memory)',
  'Set by admin: replacing GPU',
];

/** Processes all events up to `target` (epoch seconds). */
export function runUntil(sim: Sim, target: number): void {
  sim.advanceTo(
    target,
    (e) => handle(sim, e),
    (t) => schedule(sim, t),
  );
}

/** Queues the next arrival after t. */
export function scheduleArrival(sim: Sim, t: number): void {
  if (sim.trace) {
    const rec = sim.trace[sim.st.tracePos];
    if (rec) sim.heap.push(Math.max(t, rec[0]), 'arrive', 'trace', sim.st.tracePos);
    return;
  }
  const rate = (sim.cfg.arrivalsPerHour * rhythm(sim, t)) / 3600;
  sim.heap.push(t + Math.max(1, Math.round(sim.rng.exp(1 / rate))), 'arrive', 'synthetic');
}

function handle(sim: Sim, e: SimEvent): void {
  const [t, , kind, target, tag] = e;
  const j = typeof target === 'string' ? sim.job(target) : undefined;
  switch (kind) {
    case 'arrive':
      if (target === 'trace' && sim.trace) {
        const rec = sim.trace[tag];
        if (rec) submitTrace(sim, rec, t);
        sim.st.tracePos = tag + 1;
      } else submitSynthetic(sim, t);
      scheduleArrival(sim, t);
      return;
    case 'route':
      if (j && (j.state === 'Q' || j.state === 'H' || j.state === 'W')) route(sim, j.id, t);
      return;
    case 'end':
      if (j && j.state === 'R' && j.runCount === tag) {
        const overrun = j.runtime > j.walltime;
        if (overrun) endRun(sim, j, t, -29, 'exceeded resource walltime');
        else if (j.exit !== 0) endRun(sim, j, t, j.exit, 'failed');
        else endRun(sim, j, t, 0, 'finished');
      }
      return;
    case 'obit':
      if (j && j.state === 'E') obit(sim, j, t, tag);
      return;
    case 'release':
      if (j && j.state === 'H' && j.substate === 20) {
        j.hold = 'n';
        j.etime = t;
        sim.transition(j, 'Q', 10, t);
      }
      return;
    case 'exectime':
      if (j && j.state === 'W') {
        j.etime = t;
        sim.transition(j, 'Q', 10, t);
      }
      return;
    case 'qdel':
      if (j) deleteJob(sim, j, t);
      return;
    case 'purge':
      if (j) {
        for (const k of j.subjobs ?? []) delete sim.st.jobs[k];
        delete sim.st.jobs[j.id];
      }
      return;
    case 'node-fail':
      nodeFail(sim, t);
      return;
    case 'node-up':
      nodeUp(sim, Number(target), t);
      return;
    case 'resv-new':
      newReservation(sim, t);
      return;
    case 'resv-start':
      resvStart(sim, String(target), t);
      return;
    case 'resv-end':
      resvEnd(sim, String(target), t);
      return;
    case 'rerun':
      adminRerun(sim, t);
      return;
    case 'sched':
      return;
  }
}

function route(sim: Sim, key: string, t: number): void {
  const j = sim.job(key);
  const rq = sim.cfg.queues.find((q) => q.name === j?.queue);
  if (!j || !rq?.destinations) return;
  const dest =
    rq.destinations.find((d) => {
      const q = sim.cfg.queues.find((x) => x.name === d);
      return q && (q.minNodes ?? 1) <= j.nodes && (q.maxNodes ?? Infinity) >= j.nodes;
    }) ?? rq.destinations[rq.destinations.length - 1];
  if (!dest) return;
  j.queue = dest;
  j.comment = null;
  sim.transition(j, j.state, j.substate, t);
}

/** An operator runs qrerun on a running job (PBS shows it only as run_count going up later). */
function adminRerun(sim: Sim, t: number): void {
  sim.heap.push(t + Math.round(sim.rng.exp(12 * 3600)) + 600, 'rerun', 0);
  const running = [...sim.running]
    .map((k) => sim.job(k))
    .filter((j): j is NonNullable<typeof j> => !!j && j.state === 'R' && !j.resv);
  if (running.length === 0) return;
  running.sort((a, b) => a.seq - b.seq || (a.idx ?? 0) - (b.idx ?? 0));
  const j = sim.rng.pick(running);
  requeueJob(sim, j, t);
  j.comment = `Job rerun by operator at ${sim.zone.commentTime(t)}`;
}

function recordNode(sim: Sim, i: number, t: number): void {
  const n = sim.st.nodes[i];
  if (n) sim.st.nodeHistory.push({ node: n.name, state: n.state, comment: n.comment, at: t });
}

function nodeFail(sim: Sim, t: number): void {
  const i = sim.rng.int(0, sim.cfg.nodeCount - 1);
  const n = sim.st.nodes[i];
  // Each node fails about once in 64 days; a small machine still sees a failure every few hours.
  const meanGap = Math.min(4 * 3600, (64 * 86400) / sim.cfg.nodeCount);
  sim.heap.push(t + Math.max(60, Math.round(sim.rng.exp(meanGap))), 'node-fail', 0);
  if (!n || n.bad) return;
  const comment = sim.rng.pick(DOWN_COMMENTS);
  n.bad = true;
  n.state = comment.startsWith('node down')
    ? 'down'
    : comment.startsWith('offline by mom')
      ? 'offline_by_mom'
      : 'offline';
  n.comment = comment.endsWith('HW-') ? `${comment}${sim.rng.int(1000, 9999)}` : comment;
  n.lastChange = t;
  sim.unfree(i);
  recordNode(sim, i, t);
  // A down node takes its jobs with it; offline leaves them running.
  if (n.state === 'down') {
    for (const k of [...n.jobs]) {
      const j = sim.job(k);
      if (j && j.state === 'R') requeueJob(sim, j, t);
    }
  }
  sim.heap.push(t + 1800 + Math.round(sim.rng.exp(4 * 3600)), 'node-up', i);
  sim.dirty = true;
}

function nodeUp(sim: Sim, i: number, t: number): void {
  const n = sim.st.nodes[i];
  if (!n || !n.bad) return;
  n.bad = false;
  n.state = 'free';
  n.comment = null;
  n.lastChange = t;
  recordNode(sim, i, t);
  sim.release([i]);
  sim.dirty = true;
}

function newReservation(sim: Sim, t: number): void {
  sim.heap.push(t + Math.round(sim.rng.exp(20 * 3600)) + 3600, 'resv-new', 0);
  const count = Math.max(1, Math.round(sim.cfg.nodeCount * (0.03 + 0.07 * sim.rng.next())));
  const start = Math.ceil((t + sim.rng.int(2, 12) * 3600) / 300) * 300;
  const duration = sim.rng.int(1, 4) * 3600;
  addReservation(sim, t, { kind: 'R', start, duration, count, period: 0, occurrences: 1 });
}

/** Adds a confirmed reservation (advance 'R' or standing 'S') and its queue. */
export function addReservation(
  sim: Sim,
  t: number,
  p: {
    kind: 'R' | 'S';
    start: number;
    duration: number;
    count: number;
    period: number;
    occurrences: number;
  },
): EmuResv {
  const seq = sim.st.nextSeq++;
  const owner = sim.rng.pick(sim.cfg.users);
  // Reservations take nodes from the top of the machine so they rarely collide with each other.
  const base = sim.cfg.nodeCount - p.count - (seq % 3) * p.count;
  const nodeIdx = Array.from({ length: p.count }, (_, k) => Math.max(0, base) + k).filter(
    (i) => i < sim.cfg.nodeCount,
  );
  const r: EmuResv = {
    id: `${p.kind}${seq}.${sim.cfg.server}`,
    seq,
    name: p.kind === 'S' ? 'weekly_maint' : `${owner}_resv`,
    owner,
    kind: p.kind,
    queue: `${p.kind}${seq}`,
    state: 'RESV_CONFIRMED',
    substate: 2,
    start: p.start,
    duration: p.duration,
    nodes: p.count,
    nodeIdx,
    ctime: t,
    mtime: t,
    count: p.occurrences,
    index: 1,
    period: p.period,
    jobs: [],
  };
  sim.st.resvs[r.id] = r;
  sim.st.resvHistory.push({ id: r.id, state: r.state, at: t });
  sim.heap.push(p.start, 'resv-start', r.id);
  return r;
}

function resvStart(sim: Sim, id: string, t: number): void {
  const r = sim.st.resvs[id];
  if (!r || r.state !== 'RESV_CONFIRMED') return;
  r.state = 'RESV_RUNNING';
  r.substate = 5;
  r.mtime = t;
  sim.st.resvHistory.push({ id: r.id, state: r.state, at: t });
  for (const i of r.nodeIdx) {
    const n = sim.st.nodes[i];
    if (n) n.resv = r.id;
    sim.unfree(i);
  }
  sim.heap.push(t + r.duration, 'resv-end', r.id);
  // The owner submits a few jobs into the reservation's queue.
  const k = sim.rng.int(1, 3);
  for (let x = 0; x < k; x++) {
    const walltime = Math.min(r.duration - 600, 3600 * sim.rng.int(1, 3));
    if (walltime <= 0) break;
    const j = newJob(sim, t, {
      nodes: Math.max(1, Math.floor(r.nodes / (k + 1))),
      walltime,
      runtime: Math.round(walltime * (0.2 + 0.6 * sim.rng.next())),
      exit: 0,
      user: r.owner,
      queue: r.queue,
      name: `resv_job_${x + 1}`,
    });
    j.submitArgs = `-q ${r.queue} ${j.submitArgs}`;
    r.jobs.push(j.id);
    sim.transition(j, 'Q', 10, t);
  }
  sim.dirty = true;
}

function resvEnd(sim: Sim, id: string, t: number): void {
  const r = sim.st.resvs[id];
  if (!r || r.state !== 'RESV_RUNNING') return;
  for (const k of r.jobs) {
    const j = sim.job(k);
    if (j && (j.state === 'Q' || j.state === 'H')) deleteJob(sim, j, t);
  }
  for (const i of r.nodeIdx) {
    const n = sim.st.nodes[i];
    if (n && n.resv === r.id) n.resv = null;
  }
  sim.st.resvHistory.push({ id: r.id, state: 'RESV_FINISHED', at: t });
  if (r.kind === 'S' && r.index < r.count) {
    // A standing reservation goes back to confirmed for its next occurrence.
    r.index++;
    r.start += r.period;
    r.state = 'RESV_CONFIRMED';
    r.substate = 2;
    r.mtime = t;
    r.jobs = [];
    sim.st.resvHistory.push({ id: r.id, state: r.state, at: t });
    sim.heap.push(r.start, 'resv-start', r.id);
  } else {
    delete sim.st.resvs[id];
  }
  sim.release(r.nodeIdx);
  sim.dirty = true;
}
