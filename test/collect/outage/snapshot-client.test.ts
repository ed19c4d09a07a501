import { describe, expect, it } from 'vitest';
import { SnapshotPbsClient } from '../../../src/collect/outage/snapshot-client.js';
import type { Capture } from '../../../src/collect/outage/capture.js';
import {
  finished,
  makeJob,
  makeNode,
  makeQueue,
  makeResv,
  makeServer,
  parsed,
  running,
} from '../fake-pbs.js';

const sub = (i: number, state: string) =>
  makeJob(`7[${i}]`, { state, arrayParentId: '7[].pbs1', arrayIndex: i });

function capture(over: Partial<Capture> = {}): Capture {
  return {
    version: 1,
    seq: 4,
    capturedAtMs: 1_700_000_000_000,
    kinds: ['jobs', 'nodes', 'queues', 'reservations'],
    server: parsed([makeServer()]),
    jobs: {
      live: parsed([
        running(1, 100),
        makeJob('7[]', { isArrayParent: true, state: 'B' }),
        sub(2, 'R'),
      ]),
      finished: parsed([
        finished(3, 100, 400, 2, { mtime: 400 }),
        sub(1, 'F'),
        finished(1, 100, 900),
      ]),
      fullDump: false,
    },
    nodes: parsed([makeNode('n1')]),
    queues: parsed([makeQueue('workq')]),
    reservations: parsed([makeResv('R1.pbs1', 'RESV_RUNNING')]),
    ...over,
  };
}

const ids = (p: { items: { jobId: string }[] }) => p.items.map((j) => j.jobId);

describe('SnapshotPbsClient', () => {
  const c = new SnapshotPbsClient(capture());

  it('answers live jobs as captured, with and without subjobs', async () => {
    expect(ids(await c.jobs({ subjobs: true }))).toEqual(['1.pbs1', '7[].pbs1', '7[2].pbs1']);
    expect(ids(await c.jobs())).toEqual(['1.pbs1', '7[].pbs1']);
  });

  it('answers -x with live and finished, the finished (later) copy winning', async () => {
    const all = await c.jobs({ finished: true, subjobs: true });
    expect(ids(all)).toEqual(['1.pbs1', '7[].pbs1', '7[2].pbs1', '3.pbs1', '7[1].pbs1']);
    expect(all.items.find((j) => j.jobId === '1.pbs1')!.state).toBe('F');
  });

  it('answers by id (full or short form) and, with -t, an array parent brings its subjobs', async () => {
    expect(ids(await c.jobs({ finished: true, ids: ['3.pbs1', '1'] }))).toEqual([
      '1.pbs1',
      '3.pbs1',
    ]);
    expect(ids(await c.jobs({ finished: true, subjobs: true, ids: ['7[].pbs1'] }))).toEqual([
      '7[].pbs1',
      '7[2].pbs1',
      '7[1].pbs1',
    ]);
    expect(ids(await c.jobs({ finished: true, ids: ['99.pbs1'] }))).toEqual([]);
    // without -x only live jobs are found
    expect(ids(await c.jobs({ ids: ['3.pbs1'] }))).toEqual([]);
  });

  it('selectModifiedSince names the captured finished jobs; of a full dump only those changed since', async () => {
    expect(await c.selectModifiedSince(0)).toEqual(['3.pbs1', '7[1].pbs1', '1.pbs1']);
    const full = new SnapshotPbsClient(
      capture({
        jobs: {
          live: parsed([]),
          finished: parsed([
            finished(3, 100, 400, 0, { mtime: 400 }),
            finished(5, 100, 900, 0, { mtime: 900 }),
          ]),
          fullDump: true,
        },
      }),
    );
    expect(await full.selectModifiedSince(500)).toEqual(['5.pbs1']);
  });

  it('answers server, nodes, queues and reservations as captured, with header fields kept', async () => {
    expect(await c.server()).toEqual(capture().server);
    expect(await c.nodes()).toEqual(capture().nodes);
    expect((await c.queues()).items.map((q) => q.name)).toEqual(['workq']);
    expect((await c.reservations()).items.map((r) => r.id)).toEqual(['R1.pbs1']);
    expect((await c.jobs()).pbsServer).toBe('pbs1');
    expect(c.takeTimings()).toEqual([]);
  });

  it('fails clearly for a listing the capture does not hold', async () => {
    const bare = new SnapshotPbsClient(
      capture({ kinds: ['system'], jobs: undefined, queues: undefined }),
    );
    await expect(bare.jobs()).rejects.toThrow('the capture holds no jobs');
    await expect(bare.selectModifiedSince(0)).rejects.toThrow('the capture holds no jobs');
    await expect(bare.queues()).rejects.toThrow('the capture holds no queues');
  });
});
