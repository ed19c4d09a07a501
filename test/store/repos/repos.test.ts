import { afterEach, describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import { DIALECTS } from '../../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../../helpers/open-test-db.js';
import { findServer, getOrCreateServer, listServers } from '../../../src/store/repos/servers.js';
import {
  insertCollectionRun,
  lastRun,
  lastRunPerKind,
  recentErrors,
} from '../../../src/store/repos/collection-log.js';
import { getCollectorState, setCollectorState } from '../../../src/store/repos/collector-state.js';
import { findJobsByIds, queryJobs, upsertJobs } from '../../../src/store/repos/jobs.js';
import { insertTransitions, jobTransitions } from '../../../src/store/repos/job-history.js';
import { packRaw, unpackRaw } from '../../../src/store/raw-attrs.js';
import { UsageError } from '../../../src/cli/errors.js';
import type { JobsTable } from '../../../src/store/schema.js';

function job(
  sid: number,
  seq: number,
  o: Partial<Insertable<JobsTable>> = {},
): Insertable<JobsTable> {
  return {
    server_id: sid,
    job_id: `${seq}.pbs1`,
    seq,
    name: `job${seq}`,
    owner: 'alice',
    project: 'climate',
    queue: 'prod',
    state: 'F',
    substate: 92,
    is_array_parent: 0,
    submit_time: 1000 + seq,
    start_time: 2000 + seq,
    end_time: 3000 + seq,
    exit_status: 0,
    end_time_estimated: 0,
    final_state_recorded: 1,
    lifecycle_quality: 'complete',
    first_seen: 10,
    last_seen: 10,
    raw_attrs: packRaw({ Job_Name: `job${seq}` }),
    ...o,
  };
}

for (const dialect of DIALECTS) {
  describe(`repositories [${dialect}]`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    it('getOrCreateServer creates once, then updates last_seen and known facts only', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const a = await getOrCreateServer(db, 'pbs1', 100, {
        version: '2022.1',
        historyDurationS: 1_209_600,
      });
      const b = await getOrCreateServer(db, 'pbs1', 200);
      expect(b).toBe(a);
      const c = await getOrCreateServer(db, 'pbs2', 300, { version: '23.06' });
      expect(c).not.toBe(a);
      await getOrCreateServer(db, 'pbs1', 400, { version: '2024.1' });
      expect(await findServer(db, 'pbs1')).toEqual({
        id: a,
        name: 'pbs1',
        version: '2024.1',
        history_duration_s: 1_209_600,
        first_seen: 100,
        last_seen: 400,
      });
      expect((await listServers(db)).map((s) => s.name)).toEqual(['pbs1', 'pbs2']);
      expect(await findServer(db, 'nope')).toBeNull();
    });

    it('collection log: last run per kind and recent errors', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const sid = await getOrCreateServer(db, 'pbs1', 1);
      const run = (
        kind: string,
        at: number,
        status: 'ok' | 'failed' | 'partial',
        error: string | null = null,
      ) =>
        insertCollectionRun(db, {
          server_id: sid,
          kind,
          started_at: at,
          duration_ms: 12,
          status,
          items_seen: 5,
          rows_inserted: 1,
          rows_updated: 2,
          transitions: 0,
          repairs: 0,
          error,
          details: null,
        });
      await run('jobs', 100, 'ok');
      await run('jobs', 200, 'failed', 'qstat timed out');
      await run('nodes', 150, 'ok');
      const last = await lastRunPerKind(db);
      expect([...last.entries()].map(([k, r]) => [k, r.started_at, r.status]).sort()).toEqual([
        ['jobs', 200, 'failed'],
        ['nodes', 150, 'ok'],
      ]);
      expect((await lastRun(db, 'nodes'))?.started_at).toBe(150);
      expect(await lastRun(db, 'queues')).toBeNull();
      const errs = await recentErrors(db);
      expect(errs.map((e) => [e.kind, e.error])).toEqual([['jobs', 'qstat timed out']]);
      expect(await recentErrors(db, { since: 201 })).toEqual([]);
    });

    it('collector state get/set', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const sid = await getOrCreateServer(db, 'pbs1', 1);
      expect(await getCollectorState(db, sid, 'sweep')).toBeNull();
      await setCollectorState(db, sid, 'sweep', '100', 5);
      await setCollectorState(db, sid, 'sweep', '200', 6);
      expect(await getCollectorState(db, sid, 'sweep')).toBe('200');
    });

    it('jobs: upsert, find by ids, filtered history with an allow-listed sort', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const sid = await getOrCreateServer(db, 'pbs1', 1);
      const rows = [
        job(sid, 1),
        job(sid, 2, { owner: 'bob', exit_status: 1 }),
        job(sid, 3, { queue: 'debug', exit_status: 271 }),
        job(sid, 4, { project: 'fusion', end_time: 5000 }),
        job(sid, 5, { state: 'R', end_time: null, exit_status: null, final_state_recorded: 0 }),
      ];
      expect(await upsertJobs(db, rows)).toEqual({ inserted: 5, updated: 0 });
      expect(
        await upsertJobs(db, [
          job(sid, 5, { state: 'F', end_time: 3005, exit_status: 0, last_seen: 20 }),
        ]),
      ).toEqual({ inserted: 0, updated: 1 });
      const found = await findJobsByIds(db, ['5.pbs1', '9.pbs1', '1.pbs1']);
      expect(found.map((j) => [j.job_id, j.state, j.first_seen, j.last_seen]).sort()).toEqual([
        ['1.pbs1', 'F', 10, 10],
        ['5.pbs1', 'F', 10, 20],
      ]);
      expect(unpackRaw(found.find((j) => j.seq === 1)?.raw_attrs as Uint8Array)).toEqual({
        Job_Name: 'job1',
      });
      const ids = async (f: Parameters<typeof queryJobs>[1]) =>
        (await queryJobs(db, f)).map((j) => j.seq);
      expect(await ids({})).toEqual([1, 2, 3, 5, 4]);
      expect(await ids({ user: 'bob' })).toEqual([2]);
      expect(await ids({ project: 'fusion' })).toEqual([4]);
      expect(await ids({ queue: 'debug' })).toEqual([3]);
      expect(await ids({ exitStatus: 'failed' })).toEqual([2, 3]);
      expect(await ids({ exitStatus: 271 })).toEqual([3]);
      expect(await ids({ exitStatus: 'ok', since: 3002, until: 4000 })).toEqual([5]);
      expect(await ids({ state: ['F'], sort: 'owner', descending: true, limit: 2 })).toEqual([
        2, 5,
      ]);
      expect(await ids({ timeColumn: 'submit_time', since: 1004 })).toEqual([5, 4]);
      await expect(queryJobs(db, { sort: 'raw_attrs; drop table jobs' })).rejects.toBeInstanceOf(
        UsageError,
      );
    });

    it('job transitions come back in observation order', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const sid = await getOrCreateServer(db, 'pbs1', 1);
      await upsertJobs(db, [job(sid, 1)]);
      const [j] = await findJobsByIds(db, ['1.pbs1']);
      const tr = (to: string, at: number, from: string | null) => ({
        server_id: sid,
        job_row_id: j!.id,
        from_state: from,
        to_state: to,
        observed_at: at,
        event_time: at - 1,
        source: 'qstat' as const,
      });
      expect(
        await insertTransitions(db, [tr('F', 300, 'R'), tr('Q', 100, null), tr('R', 200, 'Q')]),
      ).toBe(3);
      expect(
        (await jobTransitions(db, j!.id)).map(
          (x) => `${x.from_state}>${x.to_state}@${x.observed_at}`,
        ),
      ).toEqual(['null>Q@100', 'Q>R@200', 'R>F@300']);
    });
  });
}
