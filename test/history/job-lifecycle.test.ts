import { afterEach, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { FakeClock } from '../../src/util/clock.js';
import { runCollection } from '../../src/collect/run.js';
import { describeStoredLifecycle } from '../../src/history/job-lifecycle.js';
import { FakePbs, finished, makeCtx, makeJob, running, T0 } from '../collect/fake-pbs.js';
import { testDeps, urlOf } from '../collect/cli-deps.js';

const NOW = T0 / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

for (const dialect of DIALECTS) {
  describe(`describeStoredLifecycle (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    it('returns each transition with PBS and observed times, waits, runtime and flags', async () => {
      t = await openTestDatabase(dialect);
      const pbs = new FakePbs();
      pbs.live = [makeJob(1, { etime: NOW - 100 })];
      const clock = new FakeClock(T0);
      const ctx = makeCtx(t.handle.db, pbs, { clock });
      await runCollection(ctx, ['jobs']);
      clock.advance(900_000);
      pbs.live = [running(1, NOW + 600, { etime: NOW - 100 })];
      await runCollection(ctx, ['jobs']);
      clock.advance(900_000);
      pbs.live = [];
      pbs.history = [
        finished(1, NOW + 600, NOW + 1700, 0, { etime: NOW - 100, walltimeUsed: 1100 }),
      ];
      pbs.modified = ['1.pbs1'];
      await runCollection(ctx, ['jobs']);
      const deps = testDeps(urlOf(t), pbs, clock);
      try {
        const lc = await describeStoredLifecycle('1', deps);
        expect(lc).toMatchObject({
          job_id: '1.pbs1',
          state: 'F',
          lifecycle_quality: 'complete',
          final_state_recorded: true,
          start_time: iso(NOW + 600),
          end_time: iso(NOW + 1700),
          end_time_estimated: false,
          wait_time_s: NOW + 600 - 1000,
          runtime_s: 1100,
          exit_status: 0,
          exec_hosts: ['n1'],
          notes: [],
        });
        expect(lc!.transitions).toEqual([
          {
            from_state: null,
            from_substate: null,
            to_state: 'Q',
            to_substate: 10,
            from_queue: null,
            to_queue: 'workq',
            run_count: 0,
            pbs_time: iso(NOW - 100),
            observed_at: iso(NOW),
            source: 'qstat',
          },
          {
            from_state: 'Q',
            from_substate: 10,
            to_state: 'R',
            to_substate: 42,
            run_count: 1,
            pbs_time: iso(NOW + 600),
            observed_at: iso(NOW + 900),
            source: 'qstat',
          },
          {
            from_state: 'R',
            from_substate: 42,
            to_state: 'F',
            to_substate: 92,
            run_count: 1,
            pbs_time: iso(NOW + 1700),
            observed_at: iso(NOW + 1800),
            source: 'qstat-x',
          },
        ]);
        expect(await describeStoredLifecycle('1.pbs1.example.org', deps)).toMatchObject({
          job_id: '1.pbs1',
        });
        expect(await describeStoredLifecycle('777', deps)).toBeNull();
      } finally {
        await deps.close();
      }
    });

    it('shows a missed end only as an estimate with its bounds', async () => {
      t = await openTestDatabase(dialect);
      const pbs = new FakePbs();
      pbs.live = [running(2, NOW - 60)];
      const clock = new FakeClock(T0);
      const ctx = makeCtx(t.handle.db, pbs, { clock });
      await runCollection(ctx, ['jobs']);
      clock.advance(7200_000);
      pbs.live = [];
      pbs.modified = [];
      await runCollection(ctx, ['jobs']);
      const deps = testDeps(urlOf(t), pbs, clock);
      try {
        const lc = await describeStoredLifecycle('2.pbs1', deps);
        expect(lc).toMatchObject({
          lifecycle_quality: 'final_state_missed',
          end_time: null,
          end_time_estimated: true,
          end_time_estimate: iso(NOW + 3600),
          end_time_min: iso(NOW),
          end_time_max: iso(NOW + 7200),
          runtime_s: null,
        });
        expect((lc!.notes as string[]).join(' ')).toMatch(
          /purged .* last known state R.*estimate between/,
        );
      } finally {
        await deps.close();
      }
    });
  });
}

describe('describeStoredLifecycle without a database', () => {
  it('returns null', async () => {
    const deps = testDeps(
      `sqlite:///${join(tmpdir(), `none-${Date.now()}`, 'x.db')}`,
      new FakePbs(),
      new FakeClock(T0),
    );
    expect(await describeStoredLifecycle('1', deps)).toBeNull();
    await deps.close();
  });
});
