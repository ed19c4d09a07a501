/** `export` end to end: CSV / JSON lines / Parquet, keyset batches, filters, CSV injection. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobs, type SyntheticJob } from '../../src/analyze/synthetic.js';
import { runCli } from '../analyze/helpers/run-cli.js';

const DAY = 86400;
const T0 = Date.UTC(2026, 9, 1) / 1000;
const NOW = T0 + 10 * DAY;

for (const dialect of DIALECTS) {
  describe(`export (${dialect})`, () => {
    let t: TestDatabaseHandle;
    let jobs: SyntheticJob[];
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      jobs = (await generateJobs(t.handle.db, { jobs: 1234, from: T0, to: NOW, seed: 9 })).jobs;
      // hostile text: a spreadsheet would run these as formulas
      await t.handle.db
        .updateTable('jobs')
        .set({ name: '=HYPERLINK("http://x")', comment: '@SUM(1)' })
        .where('seq', '=', 1)
        .execute();
      await t.handle.db
        .updateTable('jobs')
        .set({ name: '-2+3', comment: 'a,"b"\nc' })
        .where('seq', '=', 2)
        .execute();
    });
    afterAll(async () => t?.drop());

    it('csv: every row in batches of 100, formulas neutralised, numbers untouched', async () => {
      const out = join(dir, `jobs-${dialect}.csv`);
      const r = await runCli(
        ['export', 'jobs', '--format', 'csv', '--out', out, '--batch-size', '100'],
        t.handle,
        NOW,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`exported 1234 jobs rows to ${out}`);
      const text = readFileSync(out, 'utf8');
      const lines = text.split('\r\n');
      expect(lines[0]!.startsWith('id,server,job_id,name,owner,project,queue,state')).toBe(true);
      expect(lines[1]).toContain(`,synth,1.synth,"'=HYPERLINK(""http://x"")",`);
      expect(lines[1]).toContain(",'@SUM(1),");
      expect(lines[2]).toContain(",2.synth,'-2+3,");
      expect(lines[2]).toContain(',"a,""b""\nc",');
      // a negative number (exit status -29) is data, not a formula
      const killed = jobs.find((j) => j.exit_status === -29)!;
      const row = lines.find((l) => l.includes(`,${killed.job_id},`))!;
      expect(row).toContain(',-29,');
      expect(text.endsWith('\r\n')).toBe(true);
    });

    it('jsonl with filters: only that user and window', async () => {
      const out = join(dir, `jobs-${dialect}.jsonl`);
      const user = jobs[0]!.owner!;
      const since = new Date((T0 + 2 * DAY) * 1000).toISOString().slice(0, 10);
      const r = await runCli(
        [
          'export',
          'jobs',
          '--format',
          'jsonl',
          '--out',
          out,
          '--user',
          user,
          '--since',
          since,
          '--batch-size',
          '7',
        ],
        t.handle,
        NOW,
      );
      expect(r.code, r.stderr).toBe(0);
      const rows = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const exp = jobs.filter((j) => j.owner === user && j.submit_time! >= T0 + 2 * DAY);
      expect(rows.map((x) => x.job_id)).toEqual(exp.map((j) => j.job_id));
      expect(rows[0]!.submit_time).toBe(exp[0]!.submit_time);
    });

    it('parquet reads back with the same rows and values', async () => {
      const out = join(dir, `jobs-${dialect}.parquet`);
      const r = await runCli(
        ['export', 'jobs', '--format', 'parquet', '--out', out, '--batch-size', '500'],
        t.handle,
        NOW,
      );
      expect(r.code, r.stderr).toBe(0);
      const table = tableFromIPC(readParquet(readFileSync(out)).intoIPCStream());
      expect(table.numRows).toBe(1234);
      const ids = table.getChild('job_id')!.toArray() as string[];
      expect(ids.slice(0, 3)).toEqual(['1.synth', '2.synth', '3.synth']);
      const ends = table.getChild('end_time')!.toArray();
      const startCol = table.getChild('start_time')!;
      jobs.forEach((j, i) => {
        const v = startCol.get(i) as bigint | null; // Int64 column
        expect(v === null ? null : Number(v)).toBe(j.start_time ?? null);
      });
      expect(ends.length).toBe(1234);
      expect(table.getChild('name')!.get(0)).toBe('=HYPERLINK("http://x")'); // Parquet keeps data as is
    });

    it('unknown table or format is a usage error', async () => {
      expect((await runCli(['export', 'users', '--out', join(dir, 'x')], t.handle, NOW)).code).toBe(
        2,
      );
      const r = await runCli(
        ['export', 'jobs', '--format', 'xlsx', '--out', join(dir, 'x')],
        t.handle,
        NOW,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--format must be one of csv, jsonl, parquet/);
    });
  });
}
