/**
 * A job seen again writes only what can have changed among the indexed columns: rewriting an
 * unchanged indexed column costs SQLite an index update per row (planJobs → dropUnchangedIndexed).
 */
import { describe, expect, it } from 'vitest';
import { planJobs, type StoredJob } from '../../src/collect/job-compare.js';
import { makeJob, makeStoredJob } from './fake-pbs.js';

const T = 1_800_000_000;
const INDEXED = ['owner', 'project', 'queue', 'state', 'submit_time', 'start_time', 'end_time'];

function storedRunning(over: Partial<StoredJob> = {}): StoredJob {
  const job = makeJob(7);
  return makeStoredJob(7, {
    state: 'R',
    substate: 42,
    owner: job.owner,
    project: job.project,
    submitTime: job.ctime,
    rawHash: 'older',
    final: false,
    startTime: T - 600,
    endTime: null,
    lastSeen: T - 30,
    ...over,
  });
}

const plan = (job: ReturnType<typeof makeJob>, prev: StoredJob) =>
  planJobs([job], new Map([[prev.jobId, prev]]), { now: T, complete: false, lastSighting: null });

describe('update columns', () => {
  it('a running job whose usage grew writes no indexed column', () => {
    const job = makeJob(7, { state: 'R', substate: 42, stime: T - 600, walltimeUsed: 630 });
    const p = plan(job, storedRunning());
    expect(p.updates).toHaveLength(1);
    const set = p.updates[0]!.set;
    expect(INDEXED.filter((c) => set[c] !== undefined)).toEqual([]);
    expect(set).toMatchObject({ walltime_used_s: 630, last_seen: T });
  });

  it('its end writes state and end time; a moved queue and an unknown stored value are written', () => {
    const ended = makeJob(7, {
      state: 'F',
      substate: 92,
      stime: T - 600,
      obittime: T - 5,
      queue: 'long',
    });
    // submitTime absent: what is stored is unknown, so the column is written
    const p = plan(ended, storedRunning({ submitTime: undefined }));
    const set = p.updates[0]!.set;
    expect(INDEXED.filter((c) => set[c] !== undefined)).toEqual([
      'queue',
      'state',
      'submit_time',
      'end_time',
    ]);
    expect([set.queue, set.state, set.end_time]).toEqual(['long', 'F', T - 5]);
  });
});
