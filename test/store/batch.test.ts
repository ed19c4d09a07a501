import { afterEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { chunkSizes, insertBatch, upsertBatch } from '../../src/store/batch.js';
import type { Database } from '../../src/store/schema.js';

describe('chunkSizes', () => {
  it('cuts SQLite remainders into a few repeated shapes and keeps PostgreSQL remainders whole', () => {
    expect(chunkSizes(300, 128, 'sqlite')).toEqual([128, 128, 32, 8, 2, 2]);
    expect(chunkSizes(300, 128, 'postgres')).toEqual([128, 128, 44]);
    expect(chunkSizes(3, 128, 'sqlite')).toEqual([2, 1]);
    expect(chunkSizes(256, 128, 'sqlite')).toEqual([128, 128]);
    expect(chunkSizes(0, 128, 'sqlite')).toEqual([]);
    expect(chunkSizes(5, 1, 'postgres')).toEqual([1, 1, 1, 1, 1]);
  });
});

for (const dialect of DIALECTS) {
  describe(`batch writes [${dialect}]`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    async function server(db: Kysely<Database>): Promise<number> {
      const r = await db
        .insertInto('servers')
        .values({ name: 'pbs1', first_seen: 1, last_seen: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    }

    const job = (serverId: number, i: number, state: string, t0: number) => ({
      server_id: serverId,
      job_id: `${i}.pbs1`,
      seq: i,
      owner: `u${i % 7}`,
      state,
      submit_time: 1_700_000_000 + i,
      end_time: state === 'F' ? 1_800_000_000_000 + i : null,
      first_seen: t0,
      last_seen: t0,
      raw_attrs: new Uint8Array([1, 2, 3, i % 256]),
      is_array_parent: 0,
      end_time_estimated: 0,
      final_state_recorded: 0,
      lifecycle_quality: 'partial' as const,
    });

    it('inserts then updates the same keys with exact counts, one statement per chunk', async () => {
      const sqls: string[] = [];
      t = await openTestDatabase(dialect, { onSql: (s) => sqls.push(s) });
      const sid = await server(t.handle.db);
      sqls.length = 0; // forget the migration's statements
      const rows = Array.from({ length: 2500 }, (_, i) => job(sid, i, 'Q', 100));
      const logDb = t.handle.db;
      const r1 = await upsertBatch(
        logDb,
        'jobs',
        rows,
        ['server_id', 'job_id'],
        ['state', 'last_seen'],
        {
          chunkSize: 1000,
        },
      );
      expect(r1).toEqual({ inserted: 2500, updated: 0 });
      // SQLite: 1000 + 1000 + the remainder in quarter-size pieces (250 + 250); PostgreSQL: + 500
      expect(sqls.filter((s) => /^insert/i.test(s))).toHaveLength(dialect === 'sqlite' ? 4 : 3);
      sqls.length = 0;
      const again = [
        ...rows
          .slice(0, 2000)
          .map((r) => ({ ...r, state: 'F', last_seen: 200, end_time: 1_800_000_000_000 + r.seq })),
        ...Array.from({ length: 100 }, (_, i) => job(sid, 5000 + i, 'Q', 200)),
      ];
      const r2 = await upsertBatch(
        logDb,
        'jobs',
        again,
        ['server_id', 'job_id'],
        ['state', 'last_seen', 'end_time'],
      );
      expect(r2).toEqual({ inserted: 100, updated: 2000 });
      // by default SQLite writes 2100 rows as 16 × 128 + 32 + 8 + 8 + 2 + 2, PostgreSQL as
      // 1000 + 1000 + 100
      expect(sqls.filter((s) => /^insert/i.test(s))).toHaveLength(dialect === 'sqlite' ? 21 : 3);
      sqls.length = 0;
      const many = Array.from({ length: 6000 }, (_, i) => job(sid, 10_000 + i, 'Q', 300));
      // asked for more, 14 columns stay under the parameter limit: 2340 (SQLite) / 4681 (PostgreSQL)
      // rows; SQLite: 2 × 2340 + 2 × 585 + 146 + 2 + 2, PostgreSQL: 4681 + 1319
      const big = { chunkSize: 100_000 };
      expect(
        await upsertBatch(logDb, 'jobs', many, ['server_id', 'job_id'], ['state'], big),
      ).toEqual({
        inserted: 6000,
        updated: 0,
      });
      expect(sqls.filter((s) => /^insert/i.test(s))).toHaveLength(dialect === 'sqlite' ? 7 : 2);
      const counts = await t.handle.db
        .selectFrom('jobs')
        .select([
          'state',
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.max('last_seen').as('ls'),
        ])
        .groupBy('state')
        .orderBy('state')
        .execute();
      expect(counts).toEqual([
        { state: 'F', n: 2000, ls: 200 },
        { state: 'Q', n: 6600, ls: 300 },
      ]);
      // bigint epochs and ids come back as JS numbers in both dialects
      const one = await t.handle.db
        .selectFrom('jobs')
        .select(['id', 'submit_time', 'end_time', 'raw_attrs'])
        .where('job_id', '=', '7.pbs1')
        .executeTakeFirstOrThrow();
      expect(typeof one.id).toBe('number');
      expect(one.submit_time).toBe(1_700_000_007);
      expect(one.end_time).toBe(1_800_000_000_007);
      expect([...(one.raw_attrs ?? [])]).toEqual([1, 2, 3, 7]);
    });

    it('keeps the last of duplicate keys and does nothing on conflict without update columns', async () => {
      t = await openTestDatabase(dialect);
      const sid = await server(t.handle.db);
      const rows = [
        { server_id: sid, key: 'a', value: '1', updated_at: 1 },
        { server_id: sid, key: 'a', value: '2', updated_at: 2 },
        { server_id: sid, key: 'b', value: '3', updated_at: 3 },
      ];
      expect(
        await upsertBatch(t.handle.db, 'collector_state', rows, ['server_id', 'key'], ['value']),
      ).toEqual({
        inserted: 2,
        updated: 0,
      });
      const r = await upsertBatch(
        t.handle.db,
        'collector_state',
        [
          { server_id: sid, key: 'a', value: '9', updated_at: 9 },
          { server_id: sid, key: 'c', value: '4', updated_at: 4 },
        ],
        ['server_id', 'key'],
        [],
      );
      expect(r).toEqual({ inserted: 1, updated: 0 });
      const all = await t.handle.db
        .selectFrom('collector_state')
        .select(['key', 'value'])
        .orderBy('key')
        .execute();
      expect(all).toEqual([
        { key: 'a', value: '2' },
        { key: 'b', value: '3' },
        { key: 'c', value: '4' },
      ]);
    });

    it('insertBatch returns the inserted count over several chunks', async () => {
      t = await openTestDatabase(dialect);
      const sid = await server(t.handle.db);
      const rows = Array.from({ length: 1234 }, (_, i) => ({
        server_id: sid,
        node: `n${i}`,
        from_states: 'free',
        to_states: 'down',
        comment: null,
        event_time: null,
        observed_at: 1000 + i,
      }));
      expect(await insertBatch(t.handle.db, 'node_events', rows, { chunkSize: 500 })).toBe(1234);
      expect(await insertBatch(t.handle.db, 'node_events', [])).toBe(0);
    });
  });
}
