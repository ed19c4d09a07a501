/**
 * Two writers (the daemon and a view's --collect) observe the same job a moment apart; the one
 * that observed earlier may commit later. Its stale observation must not be applied.
 */
import { describe, expect, it } from 'vitest';
import { planJobs, type StoredJob } from '../../src/collect/job-compare.js';
import { makeJob, makeStoredJob } from './fake-pbs.js';

const T = 1_800_000_000;

function stored(over: Partial<StoredJob> = {}): StoredJob {
  return makeStoredJob(7, { rawHash: 'newer', startTime: T - 600, lastSeen: T + 2, ...over });
}

describe('stale observations', () => {
  it('an observation older than the stored one changes nothing', () => {
    const running = makeJob(7, { state: 'R', substate: 42, stime: T - 600 });
    const prev = stored();
    const plan = planJobs([running], new Map([[prev.jobId, prev]]), {
      now: T, // observed 2 s before what is stored
      complete: false,
      lastSighting: null,
    });
    expect(plan.transitions).toEqual([]);
    expect(plan.updates).toEqual([]);
    expect(plan.unchanged).toBe(1);
  });

  it('a newer observation is applied, and a stale job in a complete run is not taken as vanished', () => {
    const running = makeJob(7, { state: 'R', substate: 42, stime: T - 600 });
    const prev = stored({
      state: 'Q',
      substate: 10,
      final: false,
      startTime: null,
      lastSeen: T - 5,
    });
    const fresh = planJobs([running], new Map([[prev.jobId, prev]]), {
      now: T,
      complete: true,
      lastSighting: T - 5,
    });
    expect(fresh.transitions.map((t) => `${t.from_state}->${t.to_state}`)).toEqual(['Q->R']);
    const stale = planJobs([running], new Map([[prev.jobId, { ...prev, lastSeen: T + 1 }]]), {
      now: T,
      complete: true,
      lastSighting: T - 5,
    });
    expect(stale.missed).toBe(0);
    expect(stale.transitions).toEqual([]);
  });
});
