/** archiveBeforeDelete: Parquet per table and month that reads back with the same rows and values. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobs } from '../../src/analyze/synthetic.js';
import { generateSnapshots } from '../../src/analyze/synthetic-snapshots.js';
import { archiveBeforeDelete } from '../../src/analyze/archive.js';

const DAY = 86400;
const T0 = Date.UTC(2026, 6, 20) / 1000; // spans July, August, September

for (const dialect of DIALECTS) {
  describe(`archiveBeforeDelete (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => t?.drop());

    it('writes jobs per month; the files read back with the same rows and values', async () => {
      t = await openTestDatabase(dialect);
      const { jobs } = await generateJobs(t.handle.db, {
        jobs: 700,
        from: T0,
        to: T0 + 60 * DAY,
        seed: 2,
      });
      const cutoff = Date.UTC(2026, 8, 10) / 1000;
      const dir = mkdtempSync(join(tmpdir(), 'archive-'));
      const files = await archiveBeforeDelete(
        t.handle.db,
        'jobs',
        sql`t.submit_time < ${cutoff}`,
        dir,
        100,
      );
      expect(files.map((f) => f.month)).toEqual(['2026-07', '2026-08', '2026-09']);
      expect(readdirSync(dir).sort()).toEqual([
        'jobs-2026-07.parquet',
        'jobs-2026-08.parquet',
        'jobs-2026-09.parquet',
      ]);
      const old = jobs.filter((j) => j.submit_time! < cutoff);
      expect(files.reduce((s, f) => s + f.rows, 0)).toBe(old.length);
      for (const f of files) {
        const table = tableFromIPC(readParquet(readFileSync(f.file)).intoIPCStream());
        const exp = old.filter(
          (j) => new Date(j.submit_time! * 1000).toISOString().slice(0, 7) === f.month,
        );
        expect(table.numRows).toBe(exp.length);
        expect(table.getChild('job_id')!.toArray()).toEqual(exp.map((j) => j.job_id));
        const wall = table.getChild('walltime_used_s')!;
        exp.forEach((j, i) => {
          const v = wall.get(i) as bigint | null; // Int64 column
          expect(v === null ? null : Number(v)).toBe(j.walltime_used_s ?? null);
        });
      }
      // archiving again into the same place refuses to overwrite
      await expect(
        archiveBeforeDelete(t.handle.db, 'jobs', sql`t.submit_time < ${cutoff}`, dir),
      ).rejects.toThrow(/already exists/);
    });

    it('archives snapshot tables too; unknown tables are refused', async () => {
      t = await openTestDatabase(dialect);
      const s = await generateSnapshots(t.handle.db, { from: T0, to: T0 + 2 * DAY });
      const dir = mkdtempSync(join(tmpdir(), 'archive-'));
      const files = await archiveBeforeDelete(
        t.handle.db,
        'system_snapshots',
        sql`t.snapshot_time < ${T0 + DAY}`,
        dir,
      );
      expect(files).toHaveLength(1);
      expect(files[0]!.rows).toBe(s.system.filter((x) => x.snapshot_time < T0 + DAY).length);
      await expect(archiveBeforeDelete(t.handle.db, 'servers', sql`1 = 1`, dir)).rejects.toThrow(
        /cannot archive table 'servers'/,
      );
    });
  });
}
