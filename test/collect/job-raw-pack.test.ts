/**
 * Planned job rows carry their own job's raw attribute map, gzip JSON (cheap zlib settings),
 * readable by the store's unpackRaw.
 */
import { describe, expect, it } from 'vitest';
import { planJobs, type StoredJob } from '../../src/collect/job-compare.js';
import { packRawAttrs } from '../../src/collect/job-row.js';
import { unpackRaw } from '../../src/store/raw-attrs.js';
import { makeJob } from './fake-pbs.js';

const T = 1_800_000_000;

describe('raw attribute maps of planned rows', () => {
  it('packRawAttrs round-trips through unpackRaw', () => {
    const raw = { Job_Name: 'x', Resource_List: { select: '2:ncpus=8' }, n: 3 };
    expect(unpackRaw(packRawAttrs(raw as never))).toEqual(raw);
  });

  it('fills raw_attrs of planned inserts and updates with their own job', () => {
    const fresh = makeJob(1, { state: 'Q', substate: 10 });
    const moved = makeJob(2, { state: 'R', substate: 42, stime: T - 60 });
    const prev: StoredJob = {
      id: 9,
      jobId: moved.jobId,
      state: 'Q',
      substate: 10,
      queue: moved.queue,
      runCount: 0,
      rawHash: 'old',
      final: false,
      quality: 'complete',
      startTime: null,
      lastSeen: T - 300,
      endTimeEstimated: false,
    };
    const plan = planJobs([fresh, moved], new Map([[prev.jobId, prev]]), {
      now: T,
      complete: false,
      lastSighting: null,
    });
    expect(fresh.raw).not.toEqual(moved.raw);
    expect(unpackRaw(plan.inserts[0]!.raw_attrs as Uint8Array)).toEqual(fresh.raw);
    expect(unpackRaw(plan.updates[0]!.set.raw_attrs as Uint8Array)).toEqual(moved.raw);
  });
});
