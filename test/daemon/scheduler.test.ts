import { describe, expect, it } from 'vitest';
import { createScheduler, runSchedule, type SchedulerEvent } from '../../src/daemon/scheduler.js';
import type { CollectionResult, CollectorKind } from '../../src/daemon/collect-contract.js';
import type { Clock } from '../../src/util/clock.js';

/** A fake wall clock plus a monotonic timer: sleep/advance move both, jump moves only the wall. */
class TestClock implements Clock {
  mono = 0;
  onSleep?: () => void;
  constructor(public ms: number) {}
  nowMs() {
    return this.ms;
  }
  now() {
    return Math.floor(this.ms / 1000);
  }
  async sleep(ms: number) {
    this.advance(ms);
    this.onSleep?.();
  }
  advance(ms: number) {
    this.ms += ms;
    this.mono += ms;
  }
  jump(ms: number) {
    this.ms += ms;
  }
}

const T0 = Date.UTC(2026, 0, 1);

function result(kind: CollectorKind, at: number): CollectionResult {
  return {
    kind,
    status: 'ok',
    startedAt: Math.floor(at / 1000),
    durationMs: 0,
    itemsSeen: 1,
    rowsInserted: 1,
    rowsUpdated: 0,
    transitions: 0,
    repairs: 0,
    error: null,
    steps: {},
  };
}

/** A recording run function; `cost` ms of fake time per run. */
function recorder(clock: TestClock, cost = 0, hook?: (kinds: CollectorKind[]) => void) {
  const calls: { at: number; kinds: CollectorKind[] }[] = [];
  let active = 0;
  let maxActive = 0;
  const run = async (kinds: CollectorKind[]) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    const at = clock.nowMs();
    calls.push({ at, kinds: [...kinds] });
    hook?.(kinds);
    await Promise.resolve();
    clock.advance(cost);
    active -= 1;
    return kinds.map((k) => result(k, at));
  };
  return { run, calls, maxActive: () => maxActive };
}

const at = (calls: { at: number; kinds: CollectorKind[] }[], k: CollectorKind) =>
  calls.filter((c) => c.kinds.includes(k)).map((c) => (c.at - T0) / 1000);

describe('runSchedule', () => {
  it('runs every collector at once, then on its own interval', async () => {
    const clock = new TestClock(T0);
    const r = recorder(clock);
    const state = await runSchedule({
      clock,
      intervals: { jobs: 900, nodes: 1800, queues: 3600 },
      run: r.run,
      until: T0 + 3600_000,
    });
    expect(at(r.calls, 'jobs')).toEqual([0, 900, 1800, 2700]);
    expect(at(r.calls, 'nodes')).toEqual([0, 1800]);
    expect(at(r.calls, 'queues')).toEqual([0]);
    expect(r.calls[0]!.kinds).toEqual(['jobs', 'nodes', 'queues']);
    expect(state.runs).toBe(4);
    expect(state.kinds.jobs!.nextAt).toBe(T0 + 3600_000);
  });

  it('keeps jittered intervals within ±jitter of the interval', async () => {
    const clock = new TestClock(T0);
    const r = recorder(clock);
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    await runSchedule({
      clock,
      intervals: { jobs: 1000 },
      jitter: 0.1,
      random,
      run: r.run,
      until: T0 + 200 * 1000_000,
    });
    const times = at(r.calls, 'jobs');
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.length).toBeGreaterThan(150);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(900);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1100);
    // jitter actually varies the gaps
    expect(new Set(gaps.map((g) => Math.round(g))).size).toBeGreaterThan(20);
    // the extremes are both used
    expect(Math.min(...gaps)).toBeLessThan(920);
    expect(Math.max(...gaps)).toBeGreaterThan(1080);
  });

  it('never overlaps runs: an overrun skips the missed ticks and counts them', async () => {
    const clock = new TestClock(T0);
    // every run takes 25 s of a 10 s interval
    const r = recorder(clock, 25_000);
    const events: SchedulerEvent[] = [];
    const state = await runSchedule({
      clock,
      intervals: { jobs: 10 },
      run: r.run,
      until: T0 + 100_000,
      onEvent: (e) => events.push(e),
    });
    expect(r.maxActive()).toBe(1);
    // runs at 0, 25 (next = 25 + 10 = 35? no: end 25 > base+10 → next = end + 10 = 35), 35+25=60 → 70 …
    expect(at(r.calls, 'jobs')).toEqual([0, 35, 70]);
    // each run of 25 s from its base misses 2 ticks
    expect(state.kinds.jobs!.skipped).toBe(6);
    expect(events.filter((e) => e.type === 'skip').map((e) => e.value)).toEqual([2, 2, 2]);
  });

  it('after a forward clock jump (suspend) runs each collector once, no burst', async () => {
    const clock = new TestClock(T0);
    const events: SchedulerEvent[] = [];
    const r = recorder(clock);
    // the machine "suspends" for 10 hours while the loop sleeps towards 2700 s
    clock.onSleep = () => {
      if (clock.ms === T0 + 2700_000) clock.jump(10 * 3600_000);
    };
    const state = await runSchedule({
      clock,
      intervals: { jobs: 900, nodes: 1800 },
      run: r.run,
      monotonicMs: () => clock.mono,
      until: T0 + 40_000_000,
      onEvent: (e) => events.push(e),
    });
    // the 2700 s tick fell in the suspend: one run of each at 38700, then the normal cadence
    expect(at(r.calls, 'jobs')).toEqual([0, 900, 1800, 38700, 39600]);
    expect(at(r.calls, 'nodes')).toEqual([0, 1800, 38700]);
    expect(events.filter((e) => e.type === 'jump').map((e) => e.value)).toEqual([36_000_000]);
    expect(state.kinds.jobs!.skipped).toBe(0);
    expect(state.jumps).toBe(1);
  });

  it('a long jump during a run is one late run, its missed ticks counted', async () => {
    const clock = new TestClock(T0);
    const r = recorder(clock, 0, () => {
      if (r.calls.length === 3) clock.jump(10 * 3600_000);
    });
    const state = await runSchedule({
      clock,
      intervals: { jobs: 900 },
      run: r.run,
      monotonicMs: () => clock.mono,
      until: T0 + 39_700_000,
    });
    expect(at(r.calls, 'jobs')).toEqual([0, 900, 1800, 38700, 39600]);
    expect(state.kinds.jobs!.skipped).toBe(40);
  });

  it('after a backward clock jump keeps the cadence: no duplicate runs, no long stall', async () => {
    const clock = new TestClock(T0);
    const events: SchedulerEvent[] = [];
    const r = recorder(clock, 0, () => {
      if (r.calls.length === 3) clock.jump(-2 * 3600_000);
    });
    await runSchedule({
      clock,
      intervals: { jobs: 900 },
      run: r.run,
      monotonicMs: () => clock.mono,
      until: T0 + 3600_000,
      onEvent: (e) => events.push(e),
    });
    const gaps = r.calls.slice(1).map((c, i) => (c.at - r.calls[i]!.at) / 1000);
    // wall clock went back 7200 s once; every other gap is exactly one interval
    expect(gaps).toEqual([900, 900, -6300, 900, 900, 900, 900, 900, 900, 900, 900]);
    expect(events.filter((e) => e.type === 'jump').map((e) => e.value)).toEqual([-7_200_000]);
  });

  it('without a monotonic timer a backward jump still waits at most one interval', async () => {
    const clock = new TestClock(T0);
    const stop = new AbortController();
    const r = recorder(clock, 0, () => {
      if (r.calls.length === 2) clock.jump(-24 * 3600_000);
      if (r.calls.length === 4) stop.abort();
    });
    await runSchedule({ clock, intervals: { jobs: 600 }, run: r.run, signal: stop.signal });
    expect(r.calls.map((c) => (c.at - T0) / 1000)).toEqual([0, 600, -85200, -84600]);
  });

  it('a reload changes an interval from the last run', async () => {
    const clock = new TestClock(T0);
    const r = recorder(clock);
    const sched = createScheduler({
      clock,
      intervals: { jobs: 900, nodes: 1800 },
      run: async (kinds) => {
        const out = await r.run(kinds);
        if (r.calls.length === 2) sched.setIntervals({ jobs: 300, nodes: 1800 });
        return out;
      },
      until: T0 + 2400_000,
    });
    await sched.run();
    // runs at 0, 900 (reload to 300 s during it) → 1200, 1500, …
    expect(at(r.calls, 'jobs')).toEqual([0, 900, 1200, 1500, 1800, 2100]);
    expect(at(r.calls, 'nodes')).toEqual([0, 1800]);
    expect(sched.state().kinds.jobs!.intervalS).toBe(300);
  });

  it('a reload that drops a collector stops scheduling it', async () => {
    const clock = new TestClock(T0);
    const r = recorder(clock);
    const sched = createScheduler({
      clock,
      intervals: { jobs: 100, queues: 100 },
      run: async (kinds) => {
        const out = await r.run(kinds);
        if (r.calls.length === 1) sched.setIntervals({ jobs: 100 });
        return out;
      },
      until: T0 + 300_000,
    });
    await sched.run();
    expect(at(r.calls, 'queues')).toEqual([0]);
    expect(at(r.calls, 'jobs')).toEqual([0, 100, 200]);
  });

  it('a stop waits for the run in flight, then starts nothing new', async () => {
    const clock = new TestClock(T0);
    const stop = new AbortController();
    let finishRun!: () => void;
    let runSignal: AbortSignal | undefined;
    const calls: CollectorKind[][] = [];
    const sched = createScheduler({
      clock,
      intervals: { jobs: 10 },
      signal: stop.signal,
      shutdownTimeoutMs: 5_000,
      run: (kinds, signal) => {
        calls.push(kinds);
        runSignal = signal;
        return new Promise((resolve) => {
          finishRun = () => resolve(kinds.map((k) => result(k, clock.nowMs())));
        });
      },
    });
    const done = sched.run();
    await new Promise((r) => setTimeout(r, 10));
    expect(sched.state().inFlight).toEqual(['jobs']);
    stop.abort();
    await new Promise((r) => setTimeout(r, 30));
    // still waiting for the run: not aborted, not finished
    expect(runSignal!.aborted).toBe(false);
    let finished = false;
    void done.then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(finished).toBe(false);
    finishRun();
    const state = await done;
    expect(calls).toEqual([['jobs']]);
    expect(state.kinds.jobs!.runs).toBe(1);
    expect(state.inFlight).toBeNull();
  });

  it('a run that outlasts the shutdown timeout is aborted and may roll back', async () => {
    const clock = new TestClock(T0);
    const stop = new AbortController();
    const events: SchedulerEvent[] = [];
    let rolledBack = false;
    const sched = createScheduler({
      clock,
      intervals: { jobs: 10 },
      signal: stop.signal,
      shutdownTimeoutMs: 20,
      abortGraceMs: 1_000,
      onEvent: (e) => events.push(e),
      run: (kinds, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            rolledBack = true;
            reject(new Error('aborted: rolled back'));
          });
        }),
    });
    const done = sched.run();
    await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    const state = await done;
    expect(rolledBack).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['shutdown-timeout']);
    expect(state.kinds.jobs!.last!.status).toBe('failed');
    expect(state.kinds.jobs!.last!.error).toBe('aborted: rolled back');
  });

  it('a run that ignores its abort is abandoned after the grace period', async () => {
    const clock = new TestClock(T0);
    const stop = new AbortController();
    const events: SchedulerEvent[] = [];
    const sched = createScheduler({
      clock,
      intervals: { jobs: 10 },
      signal: stop.signal,
      shutdownTimeoutMs: 10,
      abortGraceMs: 10,
      onEvent: (e) => events.push(e),
      run: () => new Promise(() => undefined),
    });
    const done = sched.run();
    await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    const state = await done;
    expect(events.map((e) => e.type)).toEqual(['shutdown-timeout', 'abandoned']);
    expect(state.kinds.jobs!.runs).toBe(0);
  });

  it('a run that throws is recorded as failed and the schedule goes on', async () => {
    const clock = new TestClock(T0);
    let n = 0;
    const state = await runSchedule({
      clock,
      intervals: { jobs: 60 },
      until: T0 + 180_000,
      run: async (kinds) => {
        n += 1;
        if (n === 2) throw new Error('database is locked');
        return kinds.map((k) => result(k, clock.nowMs()));
      },
    });
    expect(n).toBe(3);
    expect(state.kinds.jobs!.runs).toBe(3);
    expect(state.kinds.jobs!.last!.status).toBe('ok');
  });
});
