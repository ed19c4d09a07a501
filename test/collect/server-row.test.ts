/** The servers row: an older observation committed late never moves last_seen back. */
import { afterEach, describe, expect, it } from 'vitest';
import { upsertServer } from '../../src/collect/server-row.js';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';

const parsed = { items: [], repairs: [], pbsServer: 'pbs1', timestamp: null, pbsVersion: '23.06' };

for (const dialect of DIALECTS) {
  describe(`upsertServer (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => t?.drop());

    it('keeps the newest last_seen whatever the commit order', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const lastSeen = async () =>
        Number(
          (await db.selectFrom('servers').select('last_seen').executeTakeFirstOrThrow()).last_seen,
        );
      await upsertServer(db, parsed, 1_000, 'x');
      await upsertServer(db, parsed, 1_200, 'x');
      expect(await lastSeen()).toBe(1_200);
      await upsertServer(db, parsed, 1_100, 'x'); // fetched earlier, committed later
      expect(await lastSeen()).toBe(1_200);
      await upsertServer(db, parsed, 1_300, 'x');
      expect(await lastSeen()).toBe(1_300);
    });
  });
}
