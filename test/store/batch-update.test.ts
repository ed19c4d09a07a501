import { afterEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { insertBatchReturning } from '../../src/store/batch.js';
import { updateBatch } from '../../src/store/batch-update.js';
import type { Database } from '../../src/store/schema.js';
import { jobRow } from '../helpers/job-rows.js';

for (const dialect of DIALECTS) {
  describe(`updateBatch [${dialect}]`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    async function seed(db: Kysely<Database>, n: number): Promise<number[]> {
      const { id: sid } = await db
        .insertInto('servers')
        .values({ name: 'pbs1', first_seen: 1, last_seen: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const rows = Array.from({ length: n }, (_, i) =>
        jobRow(sid, i, {
          owner: `u${i % 7}`,
          submit_time: 1_700_000_000 + i,
          first_seen: 100,
          last_seen: 100,
        }),
      );
      const ids = await insertBatchReturning(db, 'jobs', rows, ['id']);
      return ids.map((r) => Number(r.id));
    }

    const read = (db: Kysely<Database>) =>
      db
        .selectFrom('jobs')
        .select(['id', 'state', 'owner', 'start_time', 'end_time', 'last_seen', 'raw_attrs'])
        .orderBy('id')
        .execute();

    it('writes each row its own values, in one statement per chunk of one column set', async () => {
      const sqls: string[] = [];
      t = await openTestDatabase(dialect, { onSql: (s) => sqls.push(s) });
      const db = t.handle.db;
      const ids = await seed(db, 300);
      sqls.length = 0;
      const updates = ids.map((id, i) =>
        i % 3 === 0
          ? // a running job: start time, a large epoch, bytes
            {
              id,
              set: {
                state: 'R',
                start_time: 1_800_000_000_000 + i,
                last_seen: 200 + i,
                raw_attrs: new Uint8Array([i % 256, 7]),
              },
            }
          : // another column set, with an explicit null and an undefined left alone
            { id, set: { state: 'H', owner: null, end_time: undefined, last_seen: 300 + i } },
      );
      await updateBatch(db, 'jobs', updates);
      const rows = await read(db);
      expect(rows).toHaveLength(300);
      for (const [i, r] of rows.entries()) {
        expect(r.id).toBe(ids[i]);
        if (i % 3 === 0) {
          expect([r.state, r.owner, r.start_time, r.last_seen, [...(r.raw_attrs ?? [])]]).toEqual([
            'R',
            `u${i % 7}`,
            1_800_000_000_000 + i,
            200 + i,
            [i % 256, 7],
          ]);
        } else {
          expect([r.state, r.owner, r.start_time, r.end_time, r.last_seen, r.raw_attrs]).toEqual([
            'H',
            null,
            null,
            null,
            300 + i,
            null,
          ]);
        }
      }
      const updatesRun = sqls.filter((s) => /^update/i.test(s));
      // 100 + 200 rows: SQLite in 128-row chunks and quarter-size pieces (100 = 32·3 + 2·2;
      // 200 = 128 + 32·2 + 8), PostgreSQL one statement per column set
      expect(updatesRun).toHaveLength(dialect === 'sqlite' ? 5 + 4 : 2);
    });

    it('merges updates of one id in order, skips unknown ids and empty sets', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const [a, b] = await seed(db, 2);
      await updateBatch(db, 'jobs', [
        { id: a!, set: { state: 'R', last_seen: 150 } },
        { id: 999_999, set: { state: 'F' } },
        { id: b!, set: { end_time: undefined } },
        { id: a!, set: { last_seen: 160, end_time: 170 } },
      ]);
      expect((await read(db)).map((r) => [r.state, r.end_time, r.last_seen])).toEqual([
        ['R', 170, 160],
        ['Q', null, 100],
      ]);
      await updateBatch(db, 'jobs', []);
      // a column the table lacks is an error naming it, not a silent skip
      await expect(updateBatch(db, 'jobs', [{ id: a!, set: { nope: 1 } }])).rejects.toThrow(/nope/);
    });

    it('rolls back with the transaction it runs in', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const [a] = await seed(db, 1);
      await expect(
        db.transaction().execute(async (trx) => {
          await updateBatch(trx, 'jobs', [{ id: a!, set: { state: 'F' } }]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect((await read(db))[0]!.state).toBe('Q');
    });
  });
}
