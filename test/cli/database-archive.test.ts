/** `database cleanup --archive DIR`: what retention removes is written as Parquet first, then deleted. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobs } from '../../src/analyze/synthetic.js';
import { runCli } from '../helpers/run-cli.js';

const DAY = 86400;

for (const dialect of DIALECTS) {
  describe(`database cleanup --archive (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => t?.drop());

    it('archives the old jobs and their transitions, then removes exactly those', async () => {
      t = await openTestDatabase(dialect);
      const now = Math.floor(Date.now() / 1000);
      const { jobs } = await generateJobs(t.handle.db, {
        jobs: 300,
        from: now - 120 * DAY,
        to: now - DAY,
        seed: 5,
      });
      const url = t.url;
      const cutoff = now - 60 * DAY;
      const old = jobs.filter((j) => j.end_time !== null && j.end_time! < cutoff);
      expect(old.length).toBeGreaterThan(20);
      const dir = mkdtempSync(join(tmpdir(), 'archive-cli-'));
      const r = runCli(
        ['database', 'cleanup', '--job-history-days', '60', '--archive', dir, '--yes'],
        { env: { PBS_MONITOR_DB_URL: url } },
      );
      expect(r.stderr).toMatch(/archived \d+ rows to .*jobs-\d{4}-\d{2}\.parquet/);
      expect(r.code).toBe(0);
      const files = readdirSync(dir).filter((f) => f.startsWith('jobs-'));
      let archived: string[] = [];
      for (const f of files) {
        const table = tableFromIPC(readParquet(readFileSync(join(dir, f))).intoIPCStream());
        archived = archived.concat(table.getChild('job_id')!.toArray() as string[]);
      }
      expect(archived.sort()).toEqual(old.map((j) => j.job_id).sort());
      const left = runCli(['history', '--days', '3650', '--limit', '0', '--format', 'json'], {
        env: { PBS_MONITOR_DB_URL: url },
      });
      expect(left.code).toBe(0);
      const ids = (JSON.parse(left.stdout) as Array<{ job_id: string }>).map((j) => j.job_id);
      for (const j of old) expect(ids).not.toContain(j.job_id);
      expect(ids.length).toBeGreaterThan(0);
    });
  });
}
