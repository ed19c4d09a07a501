/** What happens to a job at each step of its life: start, end, obit, delete, requeue, release, purge. */
import type { Sim } from './sim.js';
import { truthRecord } from './store.js';
import type { EmuJob } from './types.js';

/** PBS caps the "Job run at … on <exec_vnode>" text at 255 characters, ending it with "...". */
export function runComment(sim: Sim, j: EmuJob, t: number): string {
  const msg = `Job run at ${sim.zone.commentTime(t)} on ${execVnode(sim, j.execNodes ?? [])}`;
  return msg.length > 255 ? `${msg.slice(0, 252)}...` : msg;
}

/** "(n1:ncpus=208)+(n2:ncpus=208)" for a node list. */
export function execVnode(sim: Sim, nodes: number[]): string {
  const c = sim.cfg.ncpus;
  return nodes.map((i) => `(${sim.st.nodes[i]?.name}:ncpus=${c})`).join('+');
}

/** Seconds the job will stay in E before its obit (PBS needs a moment to stage out and clean up). */
function exitDelay(sim: Sim): number {
  return sim.rng.int(1, 4);
}

/** Starts a queued job on the given nodes at t. */
export function startJob(sim: Sim, j: EmuJob, nodes: number[], t: number): void {
  j.execNodes = nodes;
  j.stime = t;
  j.runCount++;
  j.est = null;
  j.sessionId = sim.rng.int(10_000, 999_999);
  for (const i of nodes) {
    const n = sim.st.nodes[i];
    if (n) {
      n.jobs.push(j.id);
      n.lastUsed = t;
    }
  }
  j.comment = runComment(sim, j, t);
  sim.transition(j, 'R', 42, t);
  // Walltime is enforced by the MoM's periodic poll, so the kill lands a little after the limit.
  const overrun = j.runtime > j.walltime;
  const endAt = overrun ? t + j.walltime + sim.rng.int(5, 90) : t + Math.max(1, j.runtime);
  sim.heap.push(endAt, 'end', j.id, j.runCount);
  const parent = j.parent ? sim.job(j.parent) : undefined;
  if (parent && parent.state === 'Q') {
    parent.began = t;
    parent.stime = t;
    parent.comment = `Job Array Began at ${sim.zone.commentTime(t)}`;
    sim.transition(parent, 'B', 70, t);
  } else if (parent) parent.mtime = t;
}

/** R → E: the job stops running (finished, failed, killed at walltime or deleted). */
export function endRun(sim: Sim, j: EmuJob, t: number, exit: number, how: string): void {
  j.exitStatus = exit;
  j.endRun = t;
  j.comment = `${j.comment ?? ''} and ${how}`;
  const sub = exit === 0 ? 92 : 93;
  sim.transition(j, 'E', 50, t);
  sim.heap.push(
    t + exitDelay(sim),
    'obit',
    j.id,
    how === 'terminated' || how.startsWith('terminated') ? 91 : sub,
  );
}

/** E → F (or X for a subjob): the obit arrives and the nodes are freed. */
export function obit(sim: Sim, j: EmuJob, t: number, substate: number): void {
  const nodes = j.execNodes ?? [];
  for (const i of nodes) {
    const n = sim.st.nodes[i];
    if (n) {
      n.jobs = n.jobs.filter((x) => x !== j.id);
      n.lastUsed = t;
    }
  }
  sim.release(nodes);
  j.obittime = t;
  j.htime = t;
  if (j.parent) {
    sim.transition(j, 'X', substate, t);
    const parent = sim.job(j.parent);
    if (parent) finishArrayIfDone(sim, parent, t);
  } else {
    sim.transition(j, 'F', substate, t);
    finalize(sim, j, t);
  }
  settleDependents(sim, j, t);
}

/** When every subjob has expired, the parent finishes (Exit_status 0 whatever the subjobs did). */
function finishArrayIfDone(sim: Sim, p: EmuJob, t: number): void {
  const subs = (p.subjobs ?? []).map((k) => sim.job(k));
  if (subs.some((s) => s && s.state !== 'X' && s.state !== 'F')) {
    p.mtime = t;
    return;
  }
  p.exitStatus = 0;
  p.obittime = t;
  p.htime = t;
  p.comment = `${p.comment ?? ''} and finished`;
  sim.transition(p, 'F', 92, t);
  for (const s of subs) {
    if (s && s.state === 'X') {
      s.state = 'F';
      s.mtime = t;
      s.transitions.push(['F', s.substate, t, s.queue]);
    }
  }
  finalize(sim, p, t);
}

/** The job (with its subjobs) is final: plan its purge and queue its truth line. */
export function finalize(sim: Sim, j: EmuJob, t: number): void {
  const purgeAt = t + sim.cfg.historyHours * 3600;
  j.purgeAt = purgeAt;
  sim.heap.push(purgeAt, 'purge', j.id);
  // The truth line is written now and the transitions dropped from the state: history jobs never change again.
  sim.finished.push(JSON.stringify(truthRecord(j, null)));
  j.transitions = [];
  for (const k of j.subjobs ?? []) {
    const s = sim.job(k);
    if (s) {
      s.purgeAt = purgeAt;
      sim.finished.push(JSON.stringify(truthRecord(s, null)));
      s.transitions = [];
    }
  }
}

/** afterok dependents run when the job succeeded and are deleted by the server otherwise. */
function settleDependents(sim: Sim, j: EmuJob, t: number): void {
  for (const k of j.dependents) {
    const d = sim.job(k);
    if (!d || d.state !== 'H' || d.substate !== 22) continue;
    if (j.state !== 'X' && j.exitStatus === 0 && j.substate === 92) {
      d.hold = 'n';
      d.etime = t;
      sim.transition(d, 'Q', 10, t);
    } else {
      // PBS deletes a job whose afterok can never be met: F with substate 92 and no Exit_status.
      d.htime = t;
      sim.transition(d, 'F', 92, t);
      finalize(sim, d, t);
      settleDependents(sim, d, t);
    }
  }
}

/** qdel: a queued/held/waiting job is finished at once; a running one is killed (Exit_status 271). */
export function deleteJob(sim: Sim, j: EmuJob, t: number): void {
  const who = `${j.user}@${loginHost(sim)}`;
  if (j.state === 'R') {
    j.deletedBy = who;
    endRun(sim, j, t, 271, `terminated by ${who}`);
    return;
  }
  if (j.state !== 'Q' && j.state !== 'H' && j.state !== 'W') return;
  if (j.idx !== null) return;
  j.deletedBy = who;
  if (j.comment) j.comment = `${j.comment} and terminated`;
  j.htime = t;
  j.est = j.est ?? null;
  sim.transition(j, 'F', 91, t);
  finalize(sim, j, t);
  settleDependents(sim, j, t);
}

/** A node under a running job failed: PBS requeues the job (run_count counts each start). */
export function requeueJob(sim: Sim, j: EmuJob, t: number): void {
  const nodes = j.execNodes ?? [];
  for (const i of nodes) {
    const n = sim.st.nodes[i];
    if (n) n.jobs = n.jobs.filter((x) => x !== j.id);
  }
  sim.release(nodes);
  j.execNodes = null;
  j.comment = `Job requeued, execution node ${sim.st.nodes[nodes[0] ?? 0]?.name} down`;
  sim.transition(j, 'Q', 10, t);
}

/** The login node name jobs are submitted from. */
export function loginHost(sim: Sim): string {
  return `${sim.cfg.shortServer.replace(/-pbs.*$/, '')}-login-01`;
}
