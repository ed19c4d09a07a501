import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { FakeClock } from '../../src/util/clock.js';
import { UsageError } from '../../src/cli/errors.js';
import { runCollection } from '../../src/collect/run.js';
import {
  run,
  buildQuery,
  parseWhen,
  type HistoryOptions,
} from '../../src/cli/commands/history/list.js';
import { FakePbs, finished, makeCtx, makeJob, running, T0 } from '../collect/fake-pbs.js';
import { testDeps, urlOf } from '../collect/cli-deps.js';

const NOW = T0 / 1000;
const base: HistoryOptions = {
  days: 30,
  state: 'completed',
  reverse: false,
  limit: 100,
  includePbsHistory: false,
  format: 'json',
};

describe('history flags', () => {
  it('reads ISO dates (UTC) and epoch seconds; rejects the rest', () => {
    expect(parseWhen('2026-01-10', '--since')).toBe(NOW);
    expect(parseWhen('2026-01-10T01:00', '--since')).toBe(NOW + 3600);
    expect(parseWhen('2026-01-10T01:00:00+01:00', '--since')).toBe(NOW);
    expect(parseWhen(String(NOW), '--since')).toBe(NOW);
    expect(() => parseWhen('yesterday', '--since')).toThrow(UsageError);
  });
  it('allows only the listed sort keys and states', () => {
    expect(() => buildQuery({ ...base, sort: 'owner; drop table jobs' }, NOW)).toThrow(
      /--sort: expected one of job_id/,
    );
    expect(() => buildQuery({ ...base, state: 'Z' }, NOW)).toThrow(UsageError);
    expect(buildQuery({ ...base, state: 'F' }, NOW).states).toEqual(['F', 'X']);
    expect(buildQuery({ ...base, state: 'all' }, NOW).states).toBe('all');
    expect(buildQuery(base, NOW).since).toBe(NOW - 30 * 86400);
  });
});

for (const dialect of DIALECTS) {
  describe(`history command (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    async function populate() {
      t = await openTestDatabase(dialect);
      const pbs = new FakePbs();
      pbs.live = [running(5, NOW - 500), makeJob(6)];
      pbs.history = [
        finished(1, NOW - 7200, NOW - 3600, 0, { owner: 'bob', queue: 'debug' }),
        finished(2, NOW - 7000, NOW - 1000, 1, { nodeCount: 8 }),
        finished(3, NOW - 90 * 86400, NOW - 80 * 86400, 0),
        makeJob('4[]', {
          isArrayParent: true,
          state: 'F',
          substate: 92,
          stime: NOW - 600,
          obittime: NOW - 100,
          historyTimestamp: NOW - 100,
          exitStatus: 0,
        }),
        makeJob('4[1]', {
          arrayParentId: '4[].pbs1',
          arrayIndex: 1,
          state: 'F',
          substate: 92,
          stime: NOW - 600,
          obittime: NOW - 300,
          mtime: NOW - 100,
          exitStatus: 3,
        }),
      ];
      const clock = new FakeClock(T0);
      const ctx = makeCtx(t.handle.db, pbs, { clock });
      await runCollection(ctx, ['jobs']);
      // job 5 vanishes while running: final_state_missed with an estimated end
      clock.advance(3600_000);
      pbs.live = [makeJob(6)];
      pbs.modified = [];
      await runCollection(ctx, ['jobs']);
      return { pbs, clock };
    }

    it('lists completed jobs with the job-row field names, subjobs and parents as rows, exit 0 as 0', async () => {
      const { pbs, clock } = await populate();
      const deps = testDeps(urlOf(t!), pbs, clock);
      try {
        await run({ ...base, sort: 'job_id' }, deps);
      } finally {
        await deps.close();
      }
      const rows = JSON.parse(deps.io.stdout()) as Record<string, unknown>[];
      expect(rows.map((r) => r.job_id)).toEqual([
        '1.pbs1',
        '2.pbs1',
        '4[].pbs1',
        '4[1].pbs1',
        '5.pbs1',
      ]);
      expect(rows[0]).toMatchObject({
        owner: 'bob',
        queue: 'debug',
        state: 'F',
        exit_status: 0,
        start_time: new Date((NOW - 7200) * 1000).toISOString().replace('.000Z', 'Z'),
        end_time: new Date((NOW - 3600) * 1000).toISOString().replace('.000Z', 'Z'),
        runtime_s: 3600,
        wait_time_s: NOW - 7200 - 1000,
        lifecycle_quality: 'partial',
        end_time_estimated: false,
        exec_hosts: ['n1'],
        array_parent: null,
      });
      expect(rows[3]).toMatchObject({ array_parent: '4[].pbs1', array_index: 1, exit_status: 3 });
      expect(rows[4]).toMatchObject({
        state: 'R',
        lifecycle_quality: 'final_state_missed',
        end_time_estimated: true,
        runtime_s: null,
      });
      expect(rows[4]!.end_time_min).toBe(new Date(T0).toISOString().replace('.000Z', 'Z'));
    });

    it('filters by user, exit status, state and time; sorts and limits', async () => {
      const { pbs, clock } = await populate();
      const ids = async (o: Partial<HistoryOptions>) => {
        const deps = testDeps(urlOf(t!), pbs, clock);
        try {
          await run({ ...base, ...o }, deps);
        } finally {
          await deps.close();
        }
        return (JSON.parse(deps.io.stdout()) as { job_id: string }[]).map((r) => r.job_id);
      };
      expect(await ids({ user: 'bob' })).toEqual(['1.pbs1']);
      expect(await ids({ exitStatus: 0, sort: 'job_id' })).toEqual(['1.pbs1', '4[].pbs1']);
      expect(await ids({ state: 'E' })).toEqual([]);
      expect(await ids({ state: 'R' })).toEqual(['5.pbs1']);
      expect(await ids({ days: 100, sort: 'job_id' })).toContain('3.pbs1');
      expect(await ids({ since: '2025-10-01', until: '2025-11-01' })).toEqual(['3.pbs1']);
      expect(await ids({ sort: 'nodes', reverse: true, limit: 1 })).toEqual(['2.pbs1']);
      expect(await ids({ sort: 'runtime', limit: 2 })).toEqual(['4[1].pbs1', '4[].pbs1']);
      // default: latest end first
      expect((await ids({}))[0]).toBe('5.pbs1');
    });

    it('merges what live PBS holds and the database lacks with --include-pbs-history', async () => {
      const { pbs, clock } = await populate();
      pbs.history.push(finished(9, NOW, NOW + 100, 0));
      const deps = testDeps(urlOf(t!), pbs, clock);
      try {
        await run({ ...base, includePbsHistory: true, sort: 'job_id' }, deps);
      } finally {
        await deps.close();
      }
      const rows = JSON.parse(deps.io.stdout()) as Record<string, unknown>[];
      expect(rows.map((r) => r.job_id)).toContain('9.pbs1');
      expect(rows.find((r) => r.job_id === '9.pbs1')).toMatchObject({
        lifecycle_quality: 'pbs_only',
        exit_status: 0,
      });
      expect(deps.io.stderr()).toMatch(/1 job\(s\) from live PBS not yet in the database/);
    });

    it('marks estimated ends in the table', async () => {
      const { pbs, clock } = await populate();
      const deps = testDeps(urlOf(t!), pbs, clock);
      try {
        await run({ ...base, format: 'table', columns: 'job_id,end_time,exit_status' }, deps);
      } finally {
        await deps.close();
      }
      const lines = deps.io.stdout().split('\n');
      expect(lines.find((l) => l.startsWith('5.pbs1'))).toMatch(/~\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(lines.find((l) => l.startsWith('1.pbs1'))).toMatch(/ 0\s*$/);
    });
  });
}
