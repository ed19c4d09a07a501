import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { writeTransaction } from '../../src/store/transaction.js';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

for (const dialect of DIALECTS) {
  describe(`writeTransaction [${dialect}]`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    it('retries SQLITE_BUSY, rolls back failed attempts, and rethrows other errors at once', async () => {
      const sqls: string[] = [];
      t = await openTestDatabase(dialect, { onSql: (s) => sqls.push(s) });
      const db = t.handle.db;
      let calls = 0;
      const id = await writeTransaction(
        db,
        async (trx) => {
          calls += 1;
          await trx
            .insertInto('servers')
            .values({ name: `s${calls}`, first_seen: 1, last_seen: 1 })
            .execute();
          if (calls < 3) throw busy();
          return (await trx.selectFrom('servers').select('id').executeTakeFirstOrThrow()).id;
        },
        { backoffMs: 1 },
      );
      expect(calls).toBe(3);
      expect(typeof id).toBe('number');
      expect((await db.selectFrom('servers').select('name').execute()).map((r) => r.name)).toEqual([
        's3',
      ]);
      if (dialect === 'sqlite') expect(sqls.filter((s) => s === 'begin immediate')).toHaveLength(3);

      let other = 0;
      await expect(
        writeTransaction(db, async () => {
          other += 1;
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(other).toBe(1);

      let always = 0;
      await expect(
        writeTransaction(
          db,
          async () => {
            always += 1;
            throw busy();
          },
          { attempts: 4, backoffMs: 1 },
        ),
      ).rejects.toThrow('database is locked');
      expect(always).toBe(4);
    });

    it('runs inside the caller’s transaction when given one', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      await expect(
        db.transaction().execute(async (outer) => {
          await writeTransaction(outer, async (inner) => {
            expect(inner).toBe(outer);
            await inner
              .insertInto('servers')
              .values({ name: 'x', first_seen: 1, last_seen: 1 })
              .execute();
          });
          throw new Error('roll back the outer one');
        }),
      ).rejects.toThrow('roll back');
      expect(await db.selectFrom('servers').selectAll().execute()).toEqual([]);
    });
  });
}
