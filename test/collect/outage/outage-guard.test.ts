import { collectionResult } from '../../helpers/collection-result.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createOutageGuard } from '../../../src/collect/outage/outage-guard.js';
import { listCaptures } from '../../../src/collect/outage/capture-file.js';
import { SnapshotPbsClient } from '../../../src/collect/outage/snapshot-client.js';
import type {
  CollectionContext,
  CollectionResult,
  CollectorKind,
} from '../../../src/collect/types.js';
import type { Database } from '../../../src/store/schema.js';
import { FakeClock } from '../../../src/util/clock.js';
import { FakePbs, T0, makeCtx, makeNode, running } from '../fake-pbs.js';

interface Call {
  kinds: CollectorKind[];
  atMs: number;
  replayedFrom: number | undefined;
  snapshot: boolean;
}

/** A collection engine that records how it was called and fails as told. */
function fakeRun(calls: Call[], failWith: { error: string | null }) {
  return async (ctx: CollectionContext, kinds: CollectorKind[]): Promise<CollectionResult[]> => {
    calls.push({
      kinds,
      atMs: ctx.clock.nowMs(),
      replayedFrom: ctx.replayedFrom,
      snapshot: ctx.pbs instanceof SnapshotPbsClient,
    });
    if (ctx.pbs instanceof SnapshotPbsClient) await ctx.pbs.server(); // as a collector would
    return kinds.map((kind) => collectionResult(kind, ctx.clock.now(), failWith.error));
  };
}

describe('the outage guard', () => {
  let root: string;
  let dir: string;
  let calls: Call[];
  let fail: { error: string | null };
  let down: string | null;
  let ctx: CollectionContext & { clock: FakeClock };
  const db = {} as Kysely<Database>; // never touched: probe and run are fakes
  const guard = (maxBytes = 1 << 20) =>
    createOutageGuard({
      run: fakeRun(calls, fail),
      dir,
      maxBytes,
      probe: async () => down,
    });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'guard-'));
    dir = join(root, 'outage');
    calls = [];
    fail = { error: null };
    down = null;
    const pbs = new FakePbs();
    pbs.live = [running(1, 100)];
    pbs.nodeList = [makeNode('n1')];
    ctx = makeCtx(db, pbs, { clock: new FakeClock(T0) });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('spools while the probe fails, then replays oldest first at each capture instant, then runs live', async () => {
    const g = guard();
    await g.tick(ctx, ['jobs', 'nodes']); // live, database up
    down = 'connect ECONNREFUSED 127.0.0.1:5432';
    ctx.clock.advance(60_000);
    const spooled = await g.tick(ctx, ['jobs', 'nodes']);
    expect(spooled.map((r) => [r.kind, r.status])).toEqual([
      ['jobs', 'failed'],
      ['nodes', 'failed'],
    ]);
    expect(spooled[0]!.error).toMatch(
      /^database unavailable \(connect ECONNREFUSED 127\.0\.0\.1:5432\); PBS state spooled to .*0000000001-20260110T000100Z\.json\.gz$/,
    );
    ctx.clock.advance(60_000);
    await g.tick(ctx, ['jobs']);
    expect(g.status()).toMatchObject({ captures: 2, refused: 0, replayed: 0 });
    expect(calls.length).toBe(1); // no collector ran while the database was away
    down = null;
    ctx.clock.advance(60_000);
    const results = await g.tick(ctx, ['jobs']);
    expect(results.map((r) => [r.kind, r.status])).toEqual([['jobs', 'ok']]);
    expect(
      calls.slice(1).map((c) => [c.kinds, (c.atMs - T0) / 1000, c.replayedFrom, c.snapshot]),
    ).toEqual([
      [['jobs'], 60, T0 / 1000 + 60, true],
      [['nodes'], 60, T0 / 1000 + 60, true],
      [['jobs'], 120, T0 / 1000 + 120, true],
      [['jobs'], 180, undefined, false],
    ]);
    expect(readdirSync(dir)).toEqual([]);
    expect(g.status()).toMatchObject({ captures: 0, bytes: 0, replayed: 2 });
  });

  it('a replay stopped by the database keeps the rest (and what was done of a capture)', async () => {
    const g = guard();
    down = 'Connection terminated unexpectedly';
    await g.tick(ctx, ['jobs', 'nodes']);
    ctx.clock.advance(60_000);
    await g.tick(ctx, ['jobs']);
    down = null;
    // the database answers the probe but fails the first write
    fail.error = 'database or disk is full';
    ctx.clock.advance(60_000);
    const r = await g.tick(ctx, ['jobs']);
    expect(r[0]!.error).toMatch(
      /^database unavailable \(database or disk is full\); PBS state spooled/,
    );
    expect(calls.map((c) => c.kinds)).toEqual([['jobs']]); // stopped at the first failure
    expect((await listCaptures(dir)).map((f) => f.seq)).toEqual([1, 2, 3]);
    // second attempt: jobs of the first capture commits, then the disk fills again
    let n = 0;
    const flaky = createOutageGuard({
      dir,
      maxBytes: 1 << 20,
      probe: async () => null,
      run: async (c, kinds) => {
        fail.error = n++ === 0 ? null : 'database or disk is full';
        return fakeRun(calls, fail)(c, kinds);
      },
    });
    ctx.clock.advance(60_000);
    await flaky.tick(ctx, ['jobs']);
    const first = (await listCaptures(dir))[0]!;
    expect(first.seq).toBe(1);
    expect(existsSync(`${first.path}.done`)).toBe(true);
    // third attempt, all well: the first capture resumes at nodes, nothing is replayed twice
    fail.error = null;
    calls.length = 0;
    ctx.clock.advance(60_000);
    await guard().tick(ctx, ['jobs']);
    expect(calls.map((c) => [c.kinds, (c.atMs - T0) / 1000])).toEqual([
      [['nodes'], 0],
      [['jobs'], 60],
      [['jobs'], 120],
      [['jobs'], 180],
      [['jobs'], 240],
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('captures only the collectors that failed for a database reason in a live tick', async () => {
    const g = guard();
    const run = fakeRun(calls, fail);
    const mixed = createOutageGuard({
      dir,
      maxBytes: 1 << 20,
      probe: async () => null,
      run: async (c, kinds) =>
        (await run(c, kinds)).map((r) =>
          r.kind === 'jobs' && !c.replayedFrom
            ? { ...r, status: 'failed' as const, error: 'database is locked' }
            : r,
        ),
    });
    const r = await mixed.tick(ctx, ['jobs', 'nodes']);
    expect(r.map((x) => [x.kind, x.status])).toEqual([
      ['jobs', 'failed'],
      ['nodes', 'ok'],
    ]);
    expect(r[0]!.error).toMatch(/^database is locked; PBS state spooled to /);
    const files = await listCaptures(dir);
    expect(files.length).toBe(1);
    calls.length = 0;
    ctx.clock.advance(60_000);
    await g.tick(ctx, ['nodes']);
    expect(calls.map((c) => [c.kinds, c.snapshot])).toEqual([
      [['jobs'], true],
      [['nodes'], false],
    ]);
  });

  it('a PBS failure during an outage is not spooled; a non-database failure is not spooled', async () => {
    const g = guard();
    down = 'ECONNREFUSED';
    (ctx.pbs as FakePbs).fail.server = [new Error('qstat: cannot connect to server pbs1')];
    const r = await g.tick(ctx, ['nodes']);
    expect(r[0]!.error).toBe(
      'database unavailable (ECONNREFUSED); PBS capture failed: qstat: cannot connect to server pbs1',
    );
    expect(await listCaptures(dir)).toEqual([]);
    down = null;
    fail.error = 'nodes: qstat output unreadable';
    const r2 = await g.tick(ctx, ['nodes']);
    expect(r2[0]!.error).toBe('nodes: qstat output unreadable');
    expect(await listCaptures(dir)).toEqual([]);
  });

  it('stops writing when the spool is full and says so in status', async () => {
    const g = guard(300); // smaller than one capture
    down = 'ECONNREFUSED';
    const r = await g.tick(ctx, ['jobs', 'nodes']);
    expect(r[0]!.error).toBe(
      'database unavailable (ECONNREFUSED); outage spool full: this capture is lost',
    );
    await g.tick(ctx, ['jobs']);
    expect(g.status()).toMatchObject({ captures: 0, bytes: 0, maxBytes: 300, refused: 2 });
  });

  it('moves a corrupt capture to bad/ and goes on with the next', async () => {
    const g = guard();
    down = 'ECONNREFUSED';
    await g.tick(ctx, ['nodes']);
    ctx.clock.advance(60_000);
    await g.tick(ctx, ['nodes']);
    const [first] = await listCaptures(dir);
    writeFileSync(first!.path, 'not gzip');
    down = null;
    ctx.clock.advance(60_000);
    await g.tick(ctx, ['nodes']);
    expect(calls.map((c) => [c.kinds, (c.atMs - T0) / 1000, c.snapshot])).toEqual([
      [['nodes'], 60, true],
      [['nodes'], 120, false],
    ]);
    expect(readdirSync(join(dir, 'bad'))).toEqual([first!.name]);
    expect(await listCaptures(dir)).toEqual([]);
  });
});
