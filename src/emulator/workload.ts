/** Job submissions: a synthetic workload with a daily rhythm, or records replayed from an SWF trace. */
import { loginHost } from './lifecycle.js';
import type { Sim } from './sim.js';
import type { EmuJob, QueueDef } from './types.js';

/** [submit epoch, nodes, runtime, walltime, exit status (null = cancelled), user index, queue index] */
export type TraceRecord = [number, number, number, number, number | null, number, number];

const WALLTIMES = [1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];
const FAIL_CODES = [1, 1, 2, 127, 134, 137, 139, 255];
const NAMES = [
  'run',
  'sim',
  'train',
  'bench',
  'post',
  'mdrun',
  'lammps',
  'hacc',
  'vasp',
  'nekrs',
  'qmc',
  'wrf',
];

/** Arrival rate multiplier for the local hour: quiet at night, busy in the afternoon. */
export function rhythm(sim: Sim, t: number): number {
  const h = sim.zone.wall(t).getUTCHours();
  return 0.35 + 0.9 * Math.exp(-((h - 14) ** 2) / 18);
}

function queueFor(sim: Sim, nodes: number, walltime: number): QueueDef {
  const qs = sim.cfg.queues.filter(
    (q) => q.weight > 0 && (q.maxNodes ?? Infinity) >= nodes && (q.minNodes ?? 1) <= nodes,
  );
  const pool = qs.length > 0 ? qs : sim.cfg.queues.filter((q) => q.name === sim.cfg.defaultQueue);
  let total = 0;
  for (const q of pool) total += q.weight;
  let x = sim.rng.next() * total;
  for (const q of pool) {
    x -= q.weight;
    if (x <= 0) return q;
  }
  void walltime;
  return pool[0] as QueueDef;
}

/** Heavy-tailed node count: most jobs are small, a few take a large share of the machine. */
function nodeCount(sim: Sim): number {
  // Capped at half the machine: a job wider than what is ever up at once would block the queue forever.
  const max = Math.max(1, Math.floor(sim.cfg.nodeCount / 2));
  if (sim.rng.chance(0.45)) return 1;
  const n = Math.round(2 ** sim.rng.exp(Math.log2(sim.cfg.nodeCount) / 4.5));
  return Math.max(1, Math.min(max, n));
}

/** Creates a job record in state Q (callers change it for holds etc.). */
export function newJob(
  sim: Sim,
  t: number,
  p: {
    nodes: number;
    walltime: number;
    runtime: number;
    exit: number;
    user: string;
    queue: string;
    name: string;
    idx?: number | null;
    seq?: number;
  },
): EmuJob {
  const seq = p.seq ?? sim.st.nextSeq++;
  const idx = p.idx ?? null;
  const server = sim.cfg.server;
  const id =
    idx === null
      ? `${seq}.${server}`
      : idx === -1
        ? `${seq}[].${server}`
        : `${seq}[${idx}].${server}`;
  const j: EmuJob = {
    id,
    seq,
    idx,
    name: p.name,
    user: p.user,
    project: projectOf(sim, p.user),
    queue: p.queue,
    subQueue: p.queue,
    nodes: p.nodes,
    walltime: p.walltime,
    runtime: p.runtime,
    exit: p.exit,
    state: 'Q',
    substate: 10,
    ctime: t,
    qtime: t,
    etime: t,
    stime: null,
    obittime: null,
    htime: null,
    mtime: t,
    runCount: 0,
    hold: 'n',
    execTime: null,
    depend: null,
    depOn: null,
    dependents: [],
    comment: null,
    execNodes: null,
    exitStatus: null,
    endRun: null,
    deletedBy: null,
    est: null,
    resv: null,
    eligAccum: 0,
    sessionId: 0,
    submitArgs: `${p.name}.sh`,
    transitions: [],
    purgeAt: null,
  };
  sim.st.jobs[id] = j;
  return j;
}

function projectOf(sim: Sim, user: string): string {
  const i = sim.cfg.users.indexOf(user);
  return sim.cfg.projects[(i < 0 ? 0 : i) % sim.cfg.projects.length] as string;
}

/** Puts a new job into its first state and queues its follow-up events. */
function enter(sim: Sim, j: EmuJob, t: number): void {
  const q = sim.cfg.queues.find((x) => x.name === j.queue);
  sim.transition(j, j.state, j.substate, t);
  if (q?.type === 'Route') sim.heap.push(t + sim.rng.int(1, 30), 'route', j.id);
}

/** One synthetic submission at t (sometimes an array, a held job, a dependency chain …). */
export function submitSynthetic(sim: Sim, t: number): void {
  const r = sim.rng;
  const user = r.pick(sim.cfg.users);
  let nodes = nodeCount(sim);
  const q0 = queueFor(sim, nodes, 0);
  const maxW = q0.maxWalltime ?? 24 * 3600;
  const walltime = Math.min(
    maxW,
    r.pick(WALLTIMES.filter((w) => w <= maxW).length ? WALLTIMES.filter((w) => w <= maxW) : [maxW]),
  );
  const u = r.next();
  let runtime: number;
  let exit = 0;
  if (u < 0.07)
    runtime = walltime + r.int(60, 3600); // runs into its walltime limit
  else runtime = Math.max(30, Math.round(walltime * Math.min(0.98, r.logNormal(0.35, 0.9))));
  if (u >= 0.07 && u < 0.15) {
    exit = r.pick(FAIL_CODES);
    runtime = Math.max(5, Math.round(runtime * r.next()));
  }
  const name = `${r.pick(NAMES)}_${r.int(1, 999)}`;
  const kind = r.next();
  if (kind < 0.04) {
    // job array: small subjobs
    nodes = Math.min(nodes, 2);
    const count = r.int(2, 8);
    submitArray(sim, t, { nodes, walltime, runtime, user, queue: q0.name, name, count });
    return;
  }
  const j = newJob(sim, t, { nodes, walltime, runtime, exit, user, queue: q0.name, name });
  if (kind < 0.08) {
    j.hold = 'u';
    j.etime = null;
    j.state = 'H';
    j.substate = 20;
    j.submitArgs = `-h ${j.submitArgs}`;
    sim.heap.push(t + Math.round(r.exp(3 * 3600)) + 60, 'release', j.id);
  } else if (kind < 0.11) {
    j.execTime = t + r.int(1, 8) * 1800;
    j.etime = null;
    j.state = 'W';
    j.substate = 30;
    j.submitArgs = `-a ${sim.zone.stamp(j.execTime)} ${j.submitArgs}`;
    sim.heap.push(j.execTime, 'exectime', j.id);
  } else if (kind < 0.17) {
    const parent = dependencyTarget(sim, user);
    if (parent) {
      const short = parent.id.slice(0, parent.id.indexOf('.'));
      j.depend = `afterok:${parent.id}@${sim.cfg.server}`;
      j.depOn = parent.id;
      parent.dependents.push(j.id);
      j.hold = 's';
      j.etime = null;
      j.state = 'H';
      j.substate = 22;
      j.submitArgs = `-W depend=afterok:${short} ${j.submitArgs}`;
    }
  }
  enter(sim, j, t);
  if (r.chance(0.03))
    sim.heap.push(t + Math.round(r.exp(2 * 3600)) + 30, 'qdel', j.id); // deleted while queued (or not yet run)
  else if (r.chance(0.025)) sim.heap.push(t + Math.round(r.exp(8 * 3600)) + 600, 'qdel', j.id); // often while running
}

/** Picks a recent, unfinished plain job of the same user to depend on. */
function dependencyTarget(sim: Sim, user: string): EmuJob | null {
  for (let s = sim.st.nextSeq - 2; s >= Math.max(0, sim.st.nextSeq - 40); s--) {
    const j = sim.st.jobs[`${s}.${sim.cfg.server}`];
    if (j && j.user === user && (j.state === 'Q' || j.state === 'R' || j.state === 'H')) return j;
  }
  return null;
}

/** An array job: the parent (never runs itself) plus `count` subjobs. */
export function submitArray(
  sim: Sim,
  t: number,
  p: {
    nodes: number;
    walltime: number;
    runtime: number;
    user: string;
    queue: string;
    name: string;
    count: number;
  },
): void {
  const seq = sim.st.nextSeq++;
  const parent = newJob(sim, t, { ...p, exit: 0, idx: -1, seq });
  parent.range = `1-${p.count}`;
  parent.subjobs = [];
  parent.submitArgs = `-J ${parent.range} ${parent.submitArgs}`;
  enter(sim, parent, t);
  for (let i = 1; i <= p.count; i++) {
    const rt = Math.max(20, Math.round(p.runtime * (0.5 + sim.rng.next())));
    const exit = sim.rng.chance(0.1) ? 1 : 0;
    const s = newJob(sim, t, { ...p, runtime: Math.min(rt, p.walltime - 10), exit, idx: i, seq });
    s.parent = parent.id;
    parent.subjobs.push(s.id);
    s.submitArgs = parent.submitArgs;
    enter(sim, s, t);
  }
}

/** Submits the next trace record (already converted to nodes and seconds). */
export function submitTrace(sim: Sim, rec: TraceRecord, t: number): void {
  const [, nodes, runtime, walltime, status, userIdx, queueIdx] = rec;
  const user = sim.cfg.users[userIdx % sim.cfg.users.length] as string;
  const execQueues = sim.cfg.queues.filter((q) => q.weight > 0);
  const queue =
    queueIdx >= 0
      ? (execQueues[queueIdx % execQueues.length] as QueueDef)
      : queueFor(sim, nodes, walltime);
  const j = newJob(sim, t, {
    nodes: Math.min(nodes, sim.cfg.nodeCount),
    walltime,
    runtime,
    exit: status === null ? 0 : status,
    user,
    queue: queue.name,
    name: `swf_${sim.st.tracePos}`,
  });
  j.submitArgs = `-l select=${j.nodes} -l walltime=${walltime} ${j.name}.sh`;
  enter(sim, j, t);
  if (status === null) sim.heap.push(t + Math.max(1, Math.min(runtime, 3600)), 'qdel', j.id);
}

export { loginHost };
