import { afterEach, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { insertBatch } from '../../src/store/batch.js';
import { loadLiveStored } from '../../src/collect/job-record.js';
import { jobRow } from '../helpers/job-rows.js';

// Migration 0003: a collection's read of the live jobs must not scan the whole job history.
for (const dialect of DIALECTS) {
  describe(`live jobs index [${dialect}]`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    it('loads only the live jobs, through jobs_live_idx', async () => {
      let last = '';
      t = await openTestDatabase(dialect, { onSql: (s) => (last = s) });
      const db = t.handle.db;
      const { id: sid } = await db
        .insertInto('servers')
        .values({ name: 'pbs1', first_seen: 1, last_seen: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const job = (i: number, state: string, quality = 'complete') =>
        jobRow(sid, i, {
          state,
          final_state_recorded: state === 'F' ? 1 : 0,
          lifecycle_quality: quality as 'complete',
        });
      const rows = [
        ...Array.from({ length: 20_000 }, (_, i) => job(i, 'F')),
        ...Array.from({ length: 40 }, (_, i) => job(30_000 + i, i % 2 ? 'R' : 'Q')),
        // given up on: PBS purged it unseen; not live any more
        job(40_000, 'R', 'final_state_missed'),
      ];
      await insertBatch(db, 'jobs', rows);
      await sql`analyze`.execute(db);

      const live = await loadLiveStored(db, sid);
      expect([...live.keys()].sort()).toEqual(
        Array.from({ length: 40 }, (_, i) => `${30_000 + i}.pbs1`).sort(),
      );
      expect(live.get('30001.pbs1')).toMatchObject({ state: 'R', final: false });

      // the statement loadLiveStored ran, explained with its parameters (server, 0, missed)
      const params = [sid, 0, 'final_state_missed'];
      const explain = dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
      const plan = await db.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(explain + last, params),
      );
      const text = plan.rows.map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
      expect(text).toMatch(/jobs_live_idx/);
    });
  });
}
