/**
 * The README's main job: `pbs-monitor demo` end to end through the built CLI (an emulated cluster,
 * a day of collection by the daemon's schedule, the live views, history, a job timeline, analytics).
 * Tiny preset and one day so it stays quick; the assertions read values back from the kept database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('pbs-monitor demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pbsmon-demo-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every step with exit 0 and shows history that matches the database', () => {
    const r = runCli(['demo', '--preset', 'tiny', '--days', '1', '--dir', dir], {
      timeoutMs: 280_000,
    });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    // the demo's narration and step lines go to stderr, the commands' output to stdout
    const out = r.stderr;
    for (const step of [
      '$ pbs-monitor database init --yes',
      '$ pbs-monitor status',
      '$ pbs-monitor jobs --limit 12',
      '$ pbs-monitor history --limit 12 --sort end_time --reverse',
      '$ pbs-monitor job show ',
      '$ pbs-monitor analyze wait-times --by queue --days 1',
      '$ pbs-monitor analyze usage --by user --top 5 --days 1',
      '$ pbs-monitor database status',
    ])
      expect(out).toContain(step);
    expect(out).not.toContain('step(s) failed');
    expect(out).toMatch(/Collected \d+ runs in [\d.]+ s: jobs \d+ runs \(0 failed\)/);

    // the history lists the newest finished job in the database; the timeline shown has transitions
    const db = new Database(join(dir, 'history.db'), { readonly: true });
    try {
      const newest = db
        .prepare(
          `select job_id from jobs where state in ('F','X') and end_time is not null
           order by end_time desc, job_id limit 1`,
        )
        .get() as { job_id: string } | undefined;
      expect(newest).toBeDefined();
      expect(r.stdout).toContain(newest!.job_id);
      const shown = /\$ pbs-monitor job show (\S+)/.exec(out)![1]!;
      const transitions = db
        .prepare(
          `select count(*) as n from job_history h join jobs j on j.id = h.job_row_id where j.job_id = ?`,
        )
        .get(shown) as { n: number };
      expect(transitions.n).toBeGreaterThanOrEqual(2);
    } finally {
      db.close();
    }
  }, 300_000);
});
