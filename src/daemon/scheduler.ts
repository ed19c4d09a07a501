/**
 * The collection schedule: one loop, one run at a time (runs never overlap), each collector on
 * its own interval with a little jitter. Time comes from an injected Clock so tests and the demo
 * can run days of schedule in seconds. When the loop falls behind (an overrun, a suspend, a
 * forward clock jump) it runs each late collector once and schedules the next at now + interval:
 * never a burst of catch-up runs.
 */
import type { Clock } from '../util/clock.js';
import {
  failedResult,
  type CollectionResult,
  type CollectorKind,
  type RunCollectors,
} from './collect-contract.js';

export type Intervals = Partial<Record<CollectorKind, number>>;

export interface SchedulerEvent {
  type: 'jump' | 'skip' | 'reload' | 'shutdown-timeout' | 'abandoned';
  kind?: CollectorKind;
  /** jump: wall-clock minus monotonic drift in ms (negative = backwards); skip: ticks skipped */
  value?: number;
}

export interface ScheduleOptions {
  clock: Clock;
  /** seconds per collector; the collectors scheduled are the keys */
  intervals: Intervals;
  /** fraction of the interval added or removed at random (0 ≤ jitter ≤ 0.5) */
  jitter?: number;
  random?: () => number;
  run: RunCollectors;
  /** stop once the clock reaches this instant (epoch ms) */
  until?: number;
  /** aborting it stops the schedule: no new run; the run in flight may finish */
  signal?: AbortSignal;
  /** how long the run in flight may take after a stop before it is aborted (ms) */
  shutdownTimeoutMs?: number;
  /** after aborting the run in flight, how long to wait for its rollback (ms) */
  abortGraceMs?: number;
  /** monotonic ms: with it, wall-clock jumps are detected (a suspend looks like a forward jump) */
  monotonicMs?: () => number;
  /** a real-time wait for the shutdown bounds (the clock may be emulated) */
  wait?: (ms: number) => Promise<void>;
  /** longest single sleep, so jumps and reloads are noticed (ms) */
  maxSleepMs?: number;
  /** drift beyond which a jump is reported (ms) */
  jumpThresholdMs?: number;
  /** first runs at start + this delay (ms; default 0: collect at once) */
  firstDelayMs?: number;
  /** a run is about to start (state.inFlight set) */
  onRunStart?(state: ScheduleState): void;
  onRun?(results: CollectionResult[], state: ScheduleState): void | Promise<void>;
  onEvent?(event: SchedulerEvent): void;
}

export interface KindState {
  intervalS: number;
  /** next run, epoch ms */
  nextAt: number;
  runs: number;
  /** ticks skipped because the previous run (or the loop) was late */
  skipped: number;
  last: CollectionResult | null;
}

export interface ScheduleState {
  kinds: Partial<Record<CollectorKind, KindState>>;
  runs: number;
  jumps: number;
  inFlight: CollectorKind[] | null;
  stopping: boolean;
}

export interface Scheduler {
  /** runs until stopped or `until`; resolves with the final state */
  run(): Promise<ScheduleState>;
  /** new intervals take effect from the last run of each collector */
  setIntervals(intervals: Intervals, jitter?: number): void;
  state(): ScheduleState;
}

const realWait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/** Builds a scheduler; call run(). */
export function createScheduler(opts: ScheduleOptions): Scheduler {
  const { clock } = opts;
  const random = opts.random ?? Math.random;
  const wait = opts.wait ?? realWait;
  const maxSleep = opts.maxSleepMs ?? 60_000;
  const jumpThreshold = opts.jumpThresholdMs ?? 10_000;
  let jitter = opts.jitter ?? 0;
  const st: ScheduleState = { kinds: {}, runs: 0, jumps: 0, inFlight: null, stopping: false };
  const kinds = () => Object.keys(st.kinds) as CollectorKind[];
  const ks = (k: CollectorKind) => st.kinds[k] as KindState;
  const jittered = (intervalS: number) => intervalS * 1000 * (1 + jitter * (2 * random() - 1));

  const start = clock.nowMs() + (opts.firstDelayMs ?? 0);
  for (const [k, iv] of Object.entries(opts.intervals) as [CollectorKind, number][]) {
    st.kinds[k] = { intervalS: iv, nextAt: start, runs: 0, skipped: 0, last: null };
  }

  let wake = new AbortController();
  const runAbort = new AbortController();
  // set while a run is in flight: resolves that run's wait with null (run abandoned)
  let giveUp: (() => void) | null = null;
  const stop = () => {
    if (st.stopping) return;
    st.stopping = true;
    wake.abort();
    // the run in flight gets shutdownTimeout to finish, then is aborted (it rolls back)
    void wait(opts.shutdownTimeoutMs ?? 30_000).then(async () => {
      if (!st.inFlight) return;
      opts.onEvent?.({ type: 'shutdown-timeout' });
      runAbort.abort(new Error('shutdown timeout'));
      await wait(opts.abortGraceMs ?? 5_000);
      giveUp?.();
    });
  };
  if (opts.signal?.aborted) stop();
  opts.signal?.addEventListener('abort', stop, { once: true });

  let lastWall = clock.nowMs();
  let lastMono = opts.monotonicMs?.() ?? 0;
  const checkJump = (now: number) => {
    if (!opts.monotonicMs) return;
    const mono = opts.monotonicMs();
    const drift = now - lastWall - (mono - lastMono);
    lastWall = now;
    lastMono = mono;
    if (Math.abs(drift) < jumpThreshold) return;
    st.jumps += 1;
    opts.onEvent?.({ type: 'jump', value: drift });
    for (const k of kinds()) {
      const s = ks(k);
      // backwards: shift the schedule with the clock so nothing waits for the lost time;
      // forwards (a suspend): what was missed runs once now, not counted as skipped ticks
      if (drift < 0) s.nextAt += drift;
      else if (s.nextAt < now) s.nextAt = now;
    }
  };

  const settle = (p: Promise<CollectionResult[]>) =>
    new Promise<CollectionResult[] | null>((resolve) => {
      giveUp = () => resolve(null);
      void p.then(resolve);
    }).finally(() => {
      giveUp = null;
    });

  const runOnce = async (due: CollectorKind[]) => {
    const startedAt = clock.nowMs();
    const bases = new Map(due.map((k) => [k, ks(k).nextAt]));
    st.inFlight = due;
    opts.onRunStart?.(snapshot());
    const p = opts.run(due, runAbort.signal).catch((err: unknown) => {
      const msg = err instanceof Error ? err.message : String(err);
      const ms = clock.nowMs() - startedAt;
      return due.map((k) => failedResult(k, startedAt, ms, msg));
    });
    const results = await settle(p);
    st.inFlight = null;
    if (!results) {
      opts.onEvent?.({ type: 'abandoned' });
      return;
    }
    const end = clock.nowMs();
    st.runs += 1;
    for (const k of due) {
      const s = st.kinds[k];
      if (!s) continue; // dropped by a reload during the run
      s.runs += 1;
      s.last = results.find((r) => r.kind === k) ?? s.last;
      const base = bases.get(k) ?? end;
      let next = base + jittered(s.intervalS);
      if (next <= end) {
        // late: skip the missed ticks (counted), never catch up with a burst
        const missed = Math.max(1, Math.floor((end - base) / (s.intervalS * 1000)));
        s.skipped += missed;
        opts.onEvent?.({ type: 'skip', kind: k, value: missed });
        next = end + jittered(s.intervalS);
      }
      s.nextAt = next;
    }
    await opts.onRun?.(results, snapshot());
  };

  const snapshot = (): ScheduleState => structuredClone(st);

  return {
    state: snapshot,
    setIntervals(intervals, newJitter) {
      if (newJitter !== undefined) jitter = newJitter;
      const now = clock.nowMs();
      for (const [k, iv] of Object.entries(intervals) as [CollectorKind, number][]) {
        const s = st.kinds[k];
        if (!s) {
          st.kinds[k] = { intervalS: iv, nextAt: now, runs: 0, skipped: 0, last: null };
          continue;
        }
        if (s.intervalS === iv) continue;
        // re-plan from the last run (or from now when it never ran)
        const from = s.last ? s.last.startedAt * 1000 : now;
        s.intervalS = iv;
        s.nextAt = Math.max(now, from + jittered(iv));
      }
      for (const k of kinds()) if (!(k in intervals)) delete st.kinds[k];
      opts.onEvent?.({ type: 'reload' });
      wake.abort();
    },
    async run() {
      while (!st.stopping) {
        const now = clock.nowMs();
        if (opts.until !== undefined && now >= opts.until) break;
        checkJump(now);
        // never plan further ahead than one interval (guards against a backward jump undetected)
        for (const k of kinds()) {
          const s = ks(k);
          s.nextAt = Math.min(s.nextAt, now + s.intervalS * 1000 * (1 + jitter));
        }
        const due = kinds().filter((k) => ks(k).nextAt <= now);
        if (due.length > 0) {
          await runOnce(due);
          continue;
        }
        let wakeAt = Math.min(...kinds().map((k) => ks(k).nextAt));
        if (opts.until !== undefined) wakeAt = Math.min(wakeAt, opts.until);
        if (!Number.isFinite(wakeAt)) wakeAt = now + maxSleep;
        if (wake.signal.aborted) wake = new AbortController();
        await clock.sleep(Math.max(1, Math.min(wakeAt - now, maxSleep)), wake.signal);
      }
      opts.signal?.removeEventListener('abort', stop);
      return snapshot();
    },
  };
}

/** Runs the schedule until stopped (or `until`); the one-call form of createScheduler. */
export function runSchedule(opts: ScheduleOptions): Promise<ScheduleState> {
  return createScheduler(opts).run();
}
