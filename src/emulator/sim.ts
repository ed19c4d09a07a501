/** The discrete-event engine: jobs, nodes and reservations move only when an event fires. */
import { EventHeap, type SimEvent } from './heap.js';
import { Rng } from './rng.js';
import { ZoneClock } from './timefmt.js';
import type { ClusterConfig, EmuJob, SimState, Transition } from './types.js';
import type { TraceRecord } from './workload.js';

export const FINAL = new Set(['F']);

/** seconds between scheduling cycles when events keep coming (a big machine's cycle takes longer) */
export function schedBeat(nodeCount: number): number {
  return nodeCount > 1000 ? 60 : 30;
}

/** Mutable simulation over a loaded state; `advanceTo` processes every event up to an instant. */
export class Sim {
  readonly rng: Rng;
  readonly heap: EventHeap;
  readonly zone: ZoneClock;
  /** usable and idle nodes: 1 = free */
  readonly free: Uint8Array;
  freeCount = 0;
  readonly queued = new Set<string>();
  readonly running = new Set<string>();
  /** truth lines (JSON) of jobs that became final during this run */
  readonly finished: string[] = [];
  dirty = true;

  constructor(
    readonly cfg: ClusterConfig,
    readonly st: SimState,
    readonly trace: TraceRecord[] | null,
  ) {
    this.rng = new Rng(st.rng);
    this.heap = new EventHeap(st.events, st.eventOrder);
    this.zone = new ZoneClock(cfg.timezone);
    this.free = new Uint8Array(cfg.nodeCount);
    st.nodes.forEach((n, i) => {
      if (!n.bad && n.jobs.length === 0 && !this.inRunningResv(i)) {
        this.free[i] = 1;
        this.freeCount++;
      }
    });
    for (const [k, j] of Object.entries(st.jobs)) {
      if (j.state === 'Q' && j.idx !== -1 && this.schedulable(j.queue)) this.queued.add(k);
      if (j.state === 'R' || j.state === 'E') this.running.add(k);
    }
  }

  get now(): number {
    return this.st.now;
  }

  private inRunningResv(i: number): boolean {
    const r = this.st.nodes[i]?.resv;
    return r !== null && r !== undefined && this.st.resvs[r]?.state === 'RESV_RUNNING';
  }

  /** Records a state change (and the instant it happened) on a job. */
  transition(j: EmuJob, state: string, substate: number, t: number): void {
    j.state = state;
    j.substate = substate;
    j.mtime = t;
    const tr: Transition = [state, substate, t, j.queue];
    j.transitions.push(tr);
    if (state === 'Q' && j.idx !== -1 && this.schedulable(j.queue)) this.queued.add(j.id);
    else this.queued.delete(j.id);
    if (state === 'R' || state === 'E') this.running.add(j.id);
    else this.running.delete(j.id);
    this.dirty = true;
  }

  isResvQueue(q: string): boolean {
    return /^[RSM]\d+$/.test(q);
  }

  /** Jobs in route queues and reservation queues are not for the main scheduling cycle. */
  private schedulable(q: string): boolean {
    if (this.isResvQueue(q)) return false;
    if (this.routeQueues === null)
      this.routeQueues = new Set(
        this.cfg.queues.filter((x) => x.type === 'Route').map((x) => x.name),
      );
    return !this.routeQueues.has(q);
  }

  private routeQueues: Set<string> | null = null;

  /** Persists the engine's mutable parts back into the state object. */
  sync(): void {
    this.st.rng = this.rng.state();
    this.st.events = this.heap.items;
    this.st.eventOrder = this.heap.nextOrder;
  }

  /** Runs every event with time ≤ target, then sets the clock to target. */
  advanceTo(target: number, handle: (e: SimEvent) => void, schedule: (t: number) => void): void {
    for (;;) {
      const top = this.heap.peek();
      if (!top || top[0] > target) break;
      const t = top[0];
      this.st.now = t;
      while (this.heap.peek()?.[0] === t) {
        const e = this.heap.pop() as SimEvent;
        if (e[2] === 'sched') {
          this.st.schedAt = null;
          this.dirty = false;
          schedule(t);
        } else handle(e);
      }
      // Like pbs_sched, cycles are triggered by events but run on their own beat: at most one per beat.
      if (this.dirty && this.st.schedAt === null) {
        this.dirty = false;
        const beat = schedBeat(this.cfg.nodeCount);
        const at = Math.ceil((t + 1) / beat) * beat;
        this.st.schedAt = at;
        this.heap.push(at, 'sched', 0);
      }
    }
    this.st.now = target;
    this.sync();
  }

  /** Takes `count` free nodes (lowest index first) that no reservation needs during [t, end). */
  allocate(count: number, t: number, end: number): number[] | null {
    if (count > this.freeCount) return null;
    const blocked = this.blockedNodes(t, end);
    const out: number[] = [];
    for (let i = 0; i < this.free.length && out.length < count; i++) {
      if (this.free[i] === 1 && !blocked.has(i)) out.push(i);
    }
    if (out.length < count) return null;
    for (const i of out) {
      this.free[i] = 0;
      this.freeCount--;
    }
    this.epoch++;
    return out;
  }

  /** Nodes promised to a confirmed reservation whose window overlaps [t, end). */
  blockedNodes(t: number, end: number): Set<number> {
    const s = new Set<number>();
    for (const r of Object.values(this.st.resvs)) {
      if (r.state === 'RESV_CONFIRMED' && end > r.start && t < r.start + r.duration) {
        for (const i of r.nodeIdx) s.add(i);
      }
    }
    return s;
  }

  /** Number of free nodes a job running over [t, end) may use. */
  usableFree(t: number, end: number): number {
    let n = this.freeCount;
    const rs = Object.values(this.st.resvs);
    if (rs.length === 0) return n;
    if (this.cacheEpoch !== this.epoch) {
      // Free nodes inside each confirmed reservation, recounted only after the free pool changed.
      this.resvFree.clear();
      for (const r of rs) {
        if (r.state !== 'RESV_CONFIRMED') continue;
        let f = 0;
        for (const i of r.nodeIdx) if (this.free[i] === 1) f++;
        this.resvFree.set(r.id, f);
      }
      this.cacheEpoch = this.epoch;
    }
    for (const r of rs) {
      if (r.state === 'RESV_CONFIRMED' && end > r.start && t < r.start + r.duration)
        n -= this.resvFree.get(r.id) ?? 0;
    }
    return n;
  }

  private epoch = 0;
  private cacheEpoch = -1;
  private readonly resvFree = new Map<string, number>();

  /** Returns nodes to the free pool (unless down, offline or held by a running reservation). */
  release(nodes: number[]): void {
    for (const i of nodes) {
      const n = this.st.nodes[i];
      if (!n || n.bad || n.jobs.length > 0 || this.inRunningResv(i)) continue;
      if (this.free[i] === 0) {
        this.free[i] = 1;
        this.freeCount++;
        this.epoch++;
      }
    }
  }

  /** Removes a node from the free pool (it went down, or a reservation took it). */
  unfree(i: number): void {
    if (this.free[i] === 1) {
      this.free[i] = 0;
      this.freeCount--;
      this.epoch++;
    }
  }

  /** The job key of a job id. */
  job(key: string): EmuJob | undefined {
    return this.st.jobs[key];
  }
}
