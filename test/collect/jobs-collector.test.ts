import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { runCollection } from '../../src/collect/run.js';
import { FakePbs, finished, makeCtx, makeJob, running } from './fake-pbs.js';

const NOW0 = Math.floor(Date.UTC(2026, 0, 10) / 1000);

for (const dialect of DIALECTS) {
  describe(`jobs collector (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    let statements: string[] = [];
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });
    const open = async () => {
      statements = [];
      t = await openTestDatabase(dialect, { onSql: (s) => statements.push(s) });
      return t.handle.db;
    };
    const jobRow = (jobId: string) =>
      t!.handle.db
        .selectFrom('jobs')
        .selectAll()
        .where('job_id', '=', jobId)
        .executeTakeFirstOrThrow();
    const historyOf = async (jobId: string) => {
      const row = await jobRow(jobId);
      return t!.handle.db
        .selectFrom('job_history')
        .select([
          'from_state',
          'to_state',
          'to_substate',
          'event_time',
          'source',
          'run_count',
          'from_queue',
          'to_queue',
        ])
        .where('job_row_id', '=', row.id)
        .orderBy('id')
        .execute();
    };

    it('bootstraps, then records one state change as exactly one transition and skips unchanged jobs', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.live = [makeJob(1), makeJob(2), running(3, NOW0 - 600)];
      pbs.history = [finished(4, NOW0 - 7200, NOW0 - 3600, 0)];
      const ctx = makeCtx(db, pbs);
      const [r1] = await runCollection(ctx, ['jobs']);
      expect(r1).toMatchObject({ kind: 'jobs', status: 'ok', itemsSeen: 4, error: null });
      expect(pbs.calls).toEqual(['server', 'jobs-x']);
      expect(await jobRow('1.pbs1')).toMatchObject({
        state: 'Q',
        lifecycle_quality: 'complete',
        final_state_recorded: 0,
      });
      expect(await jobRow('3.pbs1')).toMatchObject({
        state: 'R',
        lifecycle_quality: 'partial',
        start_time: NOW0 - 600,
      });
      expect(await jobRow('4.pbs1')).toMatchObject({
        state: 'F',
        lifecycle_quality: 'partial',
        final_state_recorded: 1,
        exit_status: 0,
        end_time: NOW0 - 3600,
        end_time_estimated: 0,
      });
      // a job first seen finished: queue and run inferred from qtime / stime, end from obittime
      expect((await historyOf('4.pbs1')).map((h) => [h.to_state, h.event_time, h.source])).toEqual([
        ['Q', 1000, 'inferred'],
        ['R', NOW0 - 7200, 'inferred'],
        ['F', NOW0 - 3600, 'qstat-x'],
      ]);

      // steady state: job 2 starts; nothing else changes
      ctx.clock.advance(900_000);
      pbs.calls = [];
      pbs.modified = ['2.pbs1'];
      pbs.live[1] = running(2, NOW0 + 800);
      statements = [];
      const [r2] = await runCollection(ctx, ['jobs']);
      expect(r2).toMatchObject({ status: 'ok', transitions: 1, rowsUpdated: 1, rowsInserted: 1 });
      expect(pbs.calls).toEqual(['server', 'jobs', 'qselect']);
      const jobWrites = statements.filter((s) => /^(insert into|update) "jobs"/i.test(s));
      expect(jobWrites).toHaveLength(1);
      const histWrites = statements.filter((s) => /^insert into "job_history"/i.test(s));
      expect(histWrites).toHaveLength(1);
      expect(
        (await historyOf('2.pbs1')).map((h) => [h.from_state, h.to_state, h.event_time]),
      ).toEqual([
        [null, 'Q', 1000],
        ['Q', 'R', NOW0 + 800],
      ]);

      // nothing changed at all: zero writes to jobs / job_history
      ctx.clock.advance(900_000);
      pbs.modified = [];
      statements = [];
      const [r3] = await runCollection(ctx, ['jobs']);
      expect(r3).toMatchObject({ status: 'ok', transitions: 0, rowsUpdated: 0, rowsInserted: 0 });
      expect(
        statements.filter((s) => /^(insert into|update) "(jobs|job_history)"/i.test(s)),
      ).toEqual([]);
    });

    it('records the finish of a job that left the live list, by id, and marks it final', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.live = [running(7, NOW0 - 100)];
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['jobs']);
      ctx.clock.advance(900_000);
      pbs.live = [];
      pbs.history = [finished(7, NOW0 - 100, NOW0 + 500, 271)];
      pbs.modified = ['7.pbs1'];
      pbs.calls = [];
      const [r] = await runCollection(ctx, ['jobs']);
      expect(r!.status).toBe('ok');
      expect(pbs.calls).toEqual(['server', 'jobs', 'qselect', 'jobs-ids']);
      expect(await jobRow('7.pbs1')).toMatchObject({
        state: 'F',
        exit_status: 271,
        end_time: NOW0 + 500,
        final_state_recorded: 1,
        lifecycle_quality: 'partial',
      });
      expect((await historyOf('7.pbs1')).map((h) => h.to_state)).toEqual(['Q', 'R', 'F']);
      // final jobs are never fetched again
      ctx.clock.advance(900_000);
      pbs.calls = [];
      await runCollection(ctx, ['jobs']);
      expect(pbs.calls).toEqual(['server', 'jobs', 'qselect']);
    });

    it('records a rerun (run_count up) as a new run, not a duplicate', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.live = [makeJob(9)];
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['jobs']);
      ctx.clock.advance(900_000);
      pbs.live = [running(9, NOW0 + 100, { runCount: 1 })];
      await runCollection(ctx, ['jobs']);
      ctx.clock.advance(900_000);
      pbs.live = [running(9, NOW0 + 1500, { runCount: 2, hosts: ['n2'] })];
      const [r] = await runCollection(ctx, ['jobs']);
      expect(r!.transitions).toBe(1);
      ctx.clock.advance(900_000);
      await runCollection(ctx, ['jobs']);
      expect(
        (await historyOf('9.pbs1')).map((h) => [
          h.from_state,
          h.to_state,
          h.run_count,
          h.event_time,
        ]),
      ).toEqual([
        [null, 'Q', 0, 1000],
        ['Q', 'R', 1, NOW0 + 100],
        ['R', 'R', 2, NOW0 + 1500],
      ]);
      expect(await jobRow('9.pbs1')).toMatchObject({
        run_count: 2,
        start_time: NOW0 + 1500,
        exec_hosts: 'n2',
      });
    });

    it('records holds and queue moves with from/to queue', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.live = [makeJob(5)];
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['jobs']);
      ctx.clock.advance(60_000);
      pbs.live = [makeJob(5, { state: 'H', substate: 20 })];
      await runCollection(ctx, ['jobs']);
      ctx.clock.advance(60_000);
      pbs.live = [makeJob(5, { queue: 'debug', etime: NOW0 + 120 })];
      await runCollection(ctx, ['jobs']);
      expect(
        (await historyOf('5.pbs1')).map((h) => [
          h.from_state,
          h.to_state,
          h.from_queue,
          h.to_queue,
          h.event_time,
        ]),
      ).toEqual([
        [null, 'Q', null, 'workq', 1000],
        ['Q', 'H', 'workq', 'workq', null],
        ['H', 'Q', 'workq', 'debug', NOW0 + 120],
      ]);
    });

    it('marks a job that vanished without a final state final_state_missed, with estimate bounds', async () => {
      const db = await open();
      const pbs = new FakePbs();
      pbs.live = [running(11, NOW0 - 50)];
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['jobs']);
      const t1 = NOW0 + 900;
      ctx.clock.set(t1 * 1000);
      await runCollection(ctx, ['jobs']); // seen again at t1
      const t2 = t1 + 3 * 86400;
      ctx.clock.set(t2 * 1000);
      pbs.live = [];
      pbs.modified = [];
      const [r] = await runCollection(ctx, ['jobs']);
      expect(r!.status).toBe('ok');
      expect(await jobRow('11.pbs1')).toMatchObject({
        state: 'R',
        lifecycle_quality: 'final_state_missed',
        final_state_recorded: 0,
        end_time_estimated: 1,
        end_time_min: t1,
        end_time_max: t2,
        end_time: Math.floor((t1 + t2) / 2),
        last_seen: t1,
      });
      // given up on: not fetched again
      ctx.clock.advance(900_000);
      pbs.calls = [];
      await runCollection(ctx, ['jobs']);
      expect(pbs.calls).toEqual(['server', 'jobs', 'qselect']);
    });

    it('records array subjobs as rows of their own, final at X', async () => {
      const db = await open();
      const pbs = new FakePbs();
      const parent = makeJob('20[]', {
        isArrayParent: true,
        state: 'B',
        substate: 70,
        stime: NOW0,
      });
      const sub = (i: number, over = {}) =>
        makeJob(`20[${i}]`, { arrayParentId: '20[].pbs1', arrayIndex: i, ...over });
      pbs.live = [parent, sub(1, { state: 'R', substate: 42, stime: NOW0 }), sub(2)];
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['jobs']);
      ctx.clock.advance(900_000);
      pbs.live = [
        parent,
        sub(1, { state: 'X', substate: 92, stime: NOW0, obittime: NOW0 + 400, exitStatus: 0 }),
        sub(2, { state: 'R', substate: 42, stime: NOW0 + 400 }),
      ];
      await runCollection(ctx, ['jobs']);
      expect(await jobRow('20[1].pbs1')).toMatchObject({
        state: 'X',
        final_state_recorded: 1,
        exit_status: 0,
        array_parent_id: '20[].pbs1',
        array_index: 1,
      });
      expect(await jobRow('20[].pbs1')).toMatchObject({
        is_array_parent: 1,
        state: 'B',
        final_state_recorded: 0,
      });
    });

    it('never dates a transition before the one it follows: a PBS time that goes back is stored null', async () => {
      const db = await open();
      const pbs = new FakePbs();
      // job 6 first seen finished with an stime before its etime: the inferred run is undated
      pbs.live = [makeJob(5, { etime: NOW0 - 100, qtime: NOW0 - 100 })];
      pbs.history = [
        finished(6, NOW0 - 300, NOW0 + 500, 0, { etime: NOW0 - 50, qtime: NOW0 - 50 }),
      ];
      const ctx = makeCtx(db, pbs);
      await runCollection(ctx, ['jobs']);
      // job 5 runs with an stime before its recorded Q (e.g. a skewed MoM clock)
      ctx.clock.advance(900_000);
      pbs.modified = ['5.pbs1'];
      pbs.live = [running(5, NOW0 - 500, { etime: NOW0 - 100, qtime: NOW0 - 100 })];
      await runCollection(ctx, ['jobs']);
      // then it ends at a later time: dated again
      ctx.clock.advance(900_000);
      pbs.live = [];
      pbs.history = [
        finished(5, NOW0 - 500, NOW0 + 2000, 0, { etime: NOW0 - 100, qtime: NOW0 - 100 }),
      ];
      await runCollection(ctx, ['jobs']);
      const times = async (id: string) =>
        (await historyOf(id)).map((h) => [
          h.to_state,
          h.event_time === null ? null : Number(h.event_time),
        ]);
      expect(await times('5.pbs1')).toEqual([
        ['Q', NOW0 - 100],
        ['R', null],
        ['F', NOW0 + 2000],
      ]);
      expect(await times('6.pbs1')).toEqual([
        ['Q', NOW0 - 50],
        ['R', null],
        ['F', NOW0 + 500],
      ]);
      // the job row keeps PBS's own times
      expect(await jobRow('5.pbs1')).toMatchObject({
        start_time: NOW0 - 500,
        end_time: NOW0 + 2000,
      });
    });
  });
}
