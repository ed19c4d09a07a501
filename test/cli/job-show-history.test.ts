/**
 * `job show` for a job PBS has purged: the stored lifecycle answers (the reason the history
 * exists), in table and JSON form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, binDir, createCluster, now, readTruth } from '../../src/emulator/api.js';
import { runCli } from '../helpers/run-cli.js';

describe('job show after PBS forgot the job', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pbsmon-jobshow-'));
  const cluster = join(dir, 'cluster');
  const env = { PBS_MONITOR_DB_URL: `sqlite:///${join(dir, 'h.db')}` };
  let bin = '';
  let purged: ReturnType<typeof readTruth>[number] | undefined;

  beforeAll(() => {
    createCluster(cluster, { preset: 'tiny', seed: 4, historyHours: 2, timezone: 'UTC' });
    bin = binDir(cluster);
    const run = (args: string[]) => runCli(args, { pbsBin: bin, env: { ...env, TZ: 'UTC' } });
    expect(run(['database', 'init']).code).toBe(0);
    const first = now(cluster);
    // collect every 30 min for 6 h: jobs finish, then PBS purges them 2 h later
    for (let i = 0; i < 12; i++) {
      expect(run(['collect', '--jobs']).code).toBe(0);
      advance(cluster, 1800);
    }
    purged = readTruth(cluster).find(
      // submitted after the first collection: seen from the queue to its end, then purged
      (j) =>
        j.purged_at !== null &&
        j.submit_time > first &&
        j.start_time !== null &&
        !j.is_array_parent &&
        !j.array_parent,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the stored lifecycle, exit 0, saying PBS no longer knows it', () => {
    expect(purged).toBeDefined();
    const id = purged!.job_id;
    const r = runCli(['job', 'show', id], { pbsBin: bin, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`job_id  ${id}  (PBS no longer knows it)`);
    expect(r.stdout).toContain('Stored lifecycle:');
    expect(r.stdout).toMatch(/R\/42 → [EF]\/\d+/);
    const j = runCli(['job', 'show', id, '--format', 'json'], { pbsBin: bin, env });
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as {
      raw: unknown;
      stored_lifecycle: {
        state: string;
        exit_status: number | null;
        start_time: string;
        end_time: string;
      };
    };
    expect(doc.raw).toBeNull();
    expect(doc.stored_lifecycle.state).toBe(purged!.final_state);
    expect(doc.stored_lifecycle.exit_status).toBe(purged!.exit_status);
    expect(doc.stored_lifecycle.start_time).toBe(
      new Date(purged!.start_time! * 1000).toISOString().replace('.000Z', 'Z'),
    );
    expect(doc.stored_lifecycle.end_time).toBe(
      new Date(purged!.end_time! * 1000).toISOString().replace('.000Z', 'Z'),
    );
  });

  it('an id neither PBS nor the database knows: exit 1', () => {
    const r = runCli(['job', 'show', '987654.nowhere'], { pbsBin: bin, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/job 987654\.nowhere not found \(neither PBS/);
  });
});
