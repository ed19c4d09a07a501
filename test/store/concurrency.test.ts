/**
 * Two processes writing at once and one reading never corrupt data and never surface
 * "database is locked". The children import the built store (dist/): run `npm run build` first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { ROUNDS, runConcurrentWriters } from '../helpers/concurrent-writers.js';

for (const dialect of DIALECTS) {
  describe(`concurrent writers [${dialect}]`, () => {
    let fresh: TestDatabase | undefined;
    afterEach(async () => {
      await fresh?.drop();
      fresh = undefined;
    });

    it('two writers and a reader: no lock errors, exact final counts, intact database', async () => {
      fresh = await freshDatabase(dialect);
      const out = await runConcurrentWriters(fresh.url);
      for (const r of out.results) expect(r).toMatchObject({ ok: true });
      expect(out.results[2]?.reads).toBeGreaterThan(0);
      expect(out.jobs).toBe(10 + 2 * ROUNDS * 30);
      expect(out.transitions).toBe(2 * ROUNDS * 30);
      if (dialect === 'sqlite') {
        expect(out.integrity).toEqual([{ integrity_check: 'ok' }]);
        expect(out.journalMode).toBe('wal');
      }
    });
  });
}
