import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { runCollection, historyLagWarning } from '../../src/collect/run.js';
import { PbsCommandError, PbsOutputError } from '../../src/pbs/errors.js';
import { defaultConfig } from '../../src/config/schema.js';
import {
  FakePbs,
  makeCtx,
  makeJob,
  makeNode,
  makeQueue,
  makeResv,
  makeServer,
  T0,
} from './fake-pbs.js';

const down = () =>
  new PbsCommandError('cannot reach PBS server pbs1', 'qstat', 255, 'Connection refused', '', true);

for (const dialect of DIALECTS) {
  describe(`collectors (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });
    const open = async () => (t = await openTestDatabase(dialect)).handle.db;

    it('nodes: events on state change, change rows only for changed nodes, one keyframe per UTC day', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.nodeList = [makeNode('n1'), makeNode('n2'), makeNode('n3')];
      const ctx = makeCtx(db, pbs);
      const [r1] = await runCollection(ctx, ['nodes']);
      expect(r1).toMatchObject({ status: 'ok', itemsSeen: 3, rowsInserted: 3, transitions: 0 });
      ctx.clock.advance(1800_000);
      pbs.nodeList = [
        makeNode('n1', { states: ['offline'], comment: 'bad DIMM', lastStateChangeTime: 12345 }),
        makeNode('n2', { states: ['job-busy'], jobs: ['1.pbs1'], ncpusAssigned: 64 }),
        makeNode('n3'),
      ];
      const [r2] = await runCollection(ctx, ['nodes']);
      expect(r2).toMatchObject({ status: 'ok', transitions: 2, rowsInserted: 4 });
      ctx.clock.advance(1800_000);
      pbs.nodeList[1] = makeNode('n2', {
        states: ['job-busy'],
        jobs: ['2.pbs1'],
        ncpusAssigned: 64,
      });
      const [r3] = await runCollection(ctx, ['nodes']);
      expect(r3).toMatchObject({ transitions: 0, rowsInserted: 1 });
      const events = await db
        .selectFrom('node_events')
        .select(['node', 'from_states', 'to_states', 'comment', 'event_time'])
        .orderBy('id')
        .execute();
      expect(events).toEqual([
        {
          node: 'n1',
          from_states: 'free',
          to_states: 'offline',
          comment: 'bad DIMM',
          event_time: 12345,
        },
        { node: 'n2', from_states: 'free', to_states: 'job-busy', comment: null, event_time: null },
      ]);
      const snaps = await db
        .selectFrom('node_snapshots')
        .select(['node', 'is_keyframe', 'jobs'])
        .orderBy('id')
        .execute();
      expect(snaps.map((s) => `${s.node}:${s.is_keyframe}`)).toEqual([
        'n1:1',
        'n2:1',
        'n3:1',
        'n1:0',
        'n2:0',
        'n2:0',
      ]);
      // next UTC day: a keyframe of every node again
      ctx.clock.set(T0 + 86400_000 + 60_000);
      const [r4] = await runCollection(ctx, ['nodes']);
      expect(r4!.rowsInserted).toBe(3);
      const kf = await db
        .selectFrom('node_snapshots')
        .select('node')
        .where('is_keyframe', '=', 1)
        .execute();
      expect(kf).toHaveLength(6);
    });

    it('queues and system snapshots carry counts, assignment and queued node-hours', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.live = [
        makeJob(1, { nodeCount: 4, walltimeRequested: 7200 }),
        makeJob(2, { nodeCount: 2, walltimeRequested: 1800 }),
      ];
      pbs.queueList = [makeQueue('workq')];
      pbs.nodeList = [
        makeNode('n1', {
          states: ['job-busy'],
          jobs: ['1.pbs1'],
          ncpusAssigned: 64,
          ngpusAssigned: 4,
        }),
        makeNode('n2', { states: ['down'] }),
        makeNode('n3', { states: ['offline', 'resv-exclusive'] }),
        makeNode('n4'),
      ];
      pbs.serverObj = makeServer({
        stateCount: { Queued: 5, Running: 2, Held: 1, Exiting: 1 },
        totalJobs: 9,
      });
      const ctx = makeCtx(db, pbs);
      const rs = await runCollection(ctx, ['jobs', 'queues', 'system']);
      expect(rs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
      const q = await db.selectFrom('queue_snapshots').selectAll().executeTakeFirstOrThrow();
      expect(q).toMatchObject({
        queue: 'workq',
        enabled: 1,
        started: 1,
        queued: 2,
        running: 1,
        held: 0,
        total_jobs: 3,
        nodes_assigned: 1,
        ncpus_assigned: 8,
        queued_node_hours: 9,
      });
      const s = await db.selectFrom('system_snapshots').selectAll().executeTakeFirstOrThrow();
      expect(s).toMatchObject({
        nodes_total: 4,
        nodes_free: 1,
        nodes_busy: 1,
        nodes_down: 1,
        nodes_offline: 1,
        nodes_resv: 0,
        nodes_assigned: 1,
        cores_total: 256,
        cores_assigned: 64,
        gpus_total: 16,
        gpus_assigned: 4,
        jobs_total: 9,
        jobs_queued: 5,
        jobs_running: 2,
        jobs_held: 1,
        jobs_other: 1,
      });
    });

    it('reservations: history per state change, gone when they vanish', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.resvList = [makeResv('R1.pbs1', 'RESV_CONFIRMED')];
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['reservations']);
      ctx.clock.advance(1800_000);
      pbs.resvList = [makeResv('R1.pbs1', 'RESV_RUNNING')];
      await runCollection(ctx, ['reservations']);
      ctx.clock.advance(1800_000);
      pbs.resvList = [];
      await runCollection(ctx, ['reservations']);
      const r = await db.selectFrom('reservations').selectAll().executeTakeFirstOrThrow();
      expect(r).toMatchObject({
        resv_id: 'R1.pbs1',
        state: 'RESV_RUNNING',
        gone: 1,
        node_count: 2,
      });
      const h = await db
        .selectFrom('reservation_history')
        .select(['from_state', 'to_state'])
        .orderBy('id')
        .execute();
      expect(h).toEqual([
        { from_state: null, to_state: 'RESV_CONFIRMED' },
        { from_state: 'RESV_CONFIRMED', to_state: 'RESV_RUNNING' },
      ]);
    });

    it('isolates collectors: nodes failing does not stop jobs, and the log says so', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.live = [makeJob(1)];
      pbs.fail.nodes = [down(), down(), down()];
      const ctx = makeCtx(db, pbs);
      const rs = await runCollection(ctx, ['nodes', 'jobs']);
      expect(rs.map((r) => [r.kind, r.status])).toEqual([
        ['nodes', 'failed'],
        ['jobs', 'ok'],
      ]);
      expect(rs[0]!.error).toMatch(/cannot reach PBS server/);
      const log = await db.selectFrom('data_collection_log').selectAll().orderBy('id').execute();
      expect(log.map((l) => [l.kind, l.status, l.items_seen])).toEqual([
        ['nodes', 'failed', 0],
        ['jobs', 'ok', 1],
      ]);
      expect(JSON.parse(log[0]!.details!)).toMatchObject({ retries: 2, pbs_unreachable: true });
      expect(Object.keys(JSON.parse(log[1]!.details!).steps)).toEqual(
        expect.arrayContaining(['pbs', 'parse', 'compare', 'write']),
      );
      // the next run starts clean
      const [again] = await runCollection(ctx, ['nodes']);
      expect(again!.status).toBe('ok');
    });

    it('retries with exponential backoff through the clock, then succeeds', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.nodeList = [makeNode('n1')];
      pbs.fail.nodes = [down(), down()];
      const config = defaultConfig();
      config.collection.retry = { attempts: 3, base_delay: 10, max_delay: 15 };
      const ctx = makeCtx(db, pbs, { config });
      const before = ctx.clock.nowMs();
      const [r] = await runCollection(ctx, ['nodes']);
      expect(r!.status).toBe('ok');
      const slept = ctx.clock.nowMs() - before;
      // 10 s then 15 s (capped), each with at most 50 % jitter taken off
      expect(slept).toBeGreaterThanOrEqual(12_500);
      expect(slept).toBeLessThanOrEqual(25_000);
      expect(pbs.calls.filter((c) => c === 'nodes')).toHaveLength(3);
    });

    it('counts repairs and spools unparseable output within its bounds', async () => {
      const db = await open();
      const spool = mkdtempSync(join(tmpdir(), 'pbsmon-spool-'));
      try {
        const dir = join(spool, 'unparseable');
        const pbs = new FakePbs();
        pbs.repairs = 2;
        pbs.live = [makeJob(1)];
        const config = defaultConfig();
        config.collection.retry = { attempts: 2, base_delay: 1, max_delay: 1 };
        config.collection.spool_max_mb = 0.001; // ~1 KB
        const ctx = makeCtx(db, pbs, { config, spoolDir: spool });
        const [ok] = await runCollection(ctx, ['jobs']);
        expect(ok!.repairs).toBe(2); // the fake's job listing carries 2 repairs
        pbs.fail.queues = [
          new PbsOutputError('bad token', 'qstat -Q -f -F json', 7, 'A'.repeat(600)),
          new PbsOutputError('bad token', 'qstat -Q -f -F json', 9, 'B'.repeat(600)),
        ];
        const [bad] = await runCollection(ctx, ['queues']);
        expect(bad!.status).toBe('failed');
        expect(bad!.error).toMatch(/unreadable output at byte 9/);
        const files = readdirSync(dir);
        // two written, the oldest removed to fit 1 KB
        expect(files).toHaveLength(1);
        expect(readFileSync(join(dir, files[0]!), 'utf8')).toContain('BBBB');
        // age bound: a file older than spool_max_age_days goes at the next run
        const old = join(dir, 'old.out');
        writeFileSync(old, 'x');
        const longAgo = (ctx.clock.nowMs() - 20 * 86400_000) / 1000;
        utimesSync(old, longAgo, longAgo);
        await runCollection(ctx, ['reservations']);
        expect(readdirSync(dir)).not.toContain('old.out');
      } finally {
        rmSync(spool, { recursive: true, force: true });
      }
    });

    it('warns when the gap since the last jobs run approaches the history duration', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.serverObj = makeServer({ jobHistoryDuration: 10 * 3600 });
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['jobs']);
      const sid = Number(
        (await db.selectFrom('servers').select('id').executeTakeFirstOrThrow()).id,
      );
      const now = ctx.clock.now();
      expect(await historyLagWarning(db, sid, now + 3600)).toBeNull();
      expect(await historyLagWarning(db, sid, now + 6 * 3600)).toMatch(
        /no successful jobs collection for 6 h/,
      );
      expect(await historyLagWarning(db, sid, now + 11 * 3600)).toMatch(
        /longer than the server's job_history_duration \(10 h\)/,
      );
      // a long gap is logged with the uncovered window
      ctx.clock.advance(12 * 3600_000);
      await runCollection(ctx, ['jobs']);
      const last = await db
        .selectFrom('data_collection_log')
        .select('details')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(last.details!).uncovered_window).toEqual({ from: now, to: now + 2 * 3600 });
    });
  });
}
