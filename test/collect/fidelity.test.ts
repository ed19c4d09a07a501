/**
 * Fidelity, real processes: `pbs-emu` drives the cluster and `node dist/main.js collect` (the
 * built CLI) collects through the emulator's qstat / pbsnodes / qselect executables. Fewer
 * emulated hours than the in-process scenarios (fidelity-*.test.ts): each step starts processes.
 * Needs `npm run build`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EMU_CLI } from '../helpers/paths.js';
import { CHILD_OUTPUT_LIMIT, runCli } from '../helpers/run-cli.js';
import { requireBuild } from '../cli/cli-setup.js';
import { openDatabase, type DatabaseHandle } from '../../src/store/db.js';
import { defaultConfig } from '../../src/config/schema.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { silentLogger } from '../../src/util/logger.js';
import type { TruthJob } from '../../src/emulator/api.js';
import { compareWithTruth, EMU_TZ } from './emu-harness.js';

const STEPS = 8; // 2 emulated hours, jobs every 15 min, nodes every 30

function emu(...args: string[]): string {
  const r = spawnSync(process.execPath, [EMU_CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: CHILD_OUTPUT_LIMIT,
  });
  if (r.status !== 0) throw new Error(`pbs-emu ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

describe('fidelity with real processes (pbs-emu + node dist/main.js collect)', () => {
  let home: string;
  let handle: DatabaseHandle | undefined;
  beforeAll(() => {
    requireBuild();
    home = mkdtempSync(join(tmpdir(), 'pbsmon-fid-'));
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('collects every job exactly through the CLI, and `history` shows them', async () => {
    const dir = join(home, 'cluster');
    const start = Number(
      emu(
        'init',
        dir,
        '--preset',
        'small',
        '--seed',
        '11',
        '--history-hours',
        '6',
        '--start',
        '2026-02-01T00:00:00Z',
      ).trim(),
    );
    const bin = emu('bin', dir).trim();
    const dbPath = join(home, 'history.db');
    const config = join(home, 'config.yaml');
    writeFileSync(
      config,
      `database:\n  url: "sqlite:///${dbPath}"\npbs:\n  timezone: ${EMU_TZ}\ncollection:\n  spool_dir: "${join(home, 'spool')}"\n  retry:\n    attempts: 1\n`,
    );
    const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
    const cli = (...args: string[]) =>
      runCli(['--config', config, ...args], { pbsBin: bin, home, env });
    // the schema, as `database init` makes it
    handle = await openDatabase({
      url: `sqlite:///${dbPath}`,
      config: defaultConfig(),
      logger: silentLogger(),
      home,
      create: true,
      requireCurrentSchema: false,
    });
    await migrateToLatest(handle.db);
    for (let i = 0; i <= STEPS; i++) {
      if (i > 0) emu('advance', dir, '15m');
      const r = cli('collect', '--jobs', ...(i % 2 === 0 ? ['--nodes'] : []));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^jobs: ok \d+ seen, \d+ new, \d+ transitions, 0 repairs, \d+\.\d s$/m,
      );
    }
    const truth = emu('truth', dir, '--format', 'jsonl')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TruthJob);
    const cmp = await compareWithTruth(handle.db, truth, { firstRun: start });
    expect(cmp.mismatches.slice(0, 10)).toEqual([]);
    expect(cmp.absent).toEqual([]);
    expect(cmp.missed).toEqual([]);
    expect(cmp.checked).toBeGreaterThan(100);

    // history: JSON rows with the job-row field names; exit status 0 stays 0
    const h = cli(
      'history',
      '--format',
      'json',
      '--days',
      '365',
      '--limit',
      '0',
      '--sort',
      'job_id',
    );
    expect(h.code).toBe(0);
    const rows = JSON.parse(h.stdout) as Record<string, unknown>[];
    const finished = truth.filter(
      (t) =>
        (t.final_state === 'F' || t.final_state === 'X') &&
        !(t.purged_at !== null && t.purged_at <= start),
    );
    expect(rows.map((r) => r.job_id).sort()).toEqual(finished.map((t) => t.job_id).sort());
    const one = rows.find((r) => r.exit_status === 0)!;
    expect(Object.keys(one)).toEqual(
      expect.arrayContaining([
        'job_id',
        'name',
        'owner',
        'project',
        'queue',
        'state',
        'substate',
        'nodes',
        'ncpus',
        'ngpus',
        'walltime_requested_s',
        'walltime_used_s',
        'submit_time',
        'eligible_time',
        'start_time',
        'end_time',
        'exit_status',
        'run_count',
        'exec_hosts',
        'comment',
        'array_parent',
        'array_index',
        'wait_time_s',
        'runtime_s',
        'lifecycle_quality',
        'end_time_estimated',
      ]),
    );
    const truthOne = truth.find((t) => t.job_id === one.job_id)!;
    expect(one.end_time).toBe(
      new Date(truthOne.end_time! * 1000).toISOString().replace('.000Z', 'Z'),
    );
    expect(one.runtime_s).toBe(truthOne.end_time! - truthOne.start_time!);
  }, 300_000);
});
