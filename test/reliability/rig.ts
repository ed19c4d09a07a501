/**
 * The reliability rig: an emulated cluster (tiny preset), the built CLI pointed at its PBS commands
 * and a fresh SQLite history, plus a check of the stored jobs against the emulator's ground truth.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  advance,
  binDir,
  createCluster,
  now,
  readTruth,
  setFault,
  type TruthJob,
} from '../../src/emulator/api.js';
import { defaultConfig } from '../../src/config/schema.js';
import { openDatabase } from '../../src/store/db.js';
import { silentLogger } from '../../src/util/logger.js';
import { CLI } from '../helpers/paths.js';
import { CHILD_OUTPUT_LIMIT } from '../helpers/run-cli.js';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Rig {
  dir: string;
  cluster: string;
  dbPath: string;
  dbUrl: string;
  config: string;
  env: Record<string, string>;
  cli(args: string[], extraEnv?: Record<string, string>): CliRun;
  /** starts the CLI without waiting (for SIGKILL tests) */
  spawnCli(args: string[]): ChildProcess;
  fault(kind: string, times?: number | null): void;
  advance(seconds: number): number;
  now(): number;
  /** the jobs table: job_id → state */
  storedJobs(): Promise<Map<string, { state: string; count: number }>>;
  /** log rows newest first */
  logRows(
    limit: number,
  ): Promise<Array<{ kind: string; status: string; repairs: number; error: string | null }>>;
  cleanup(): void;
}

/** Builds a cluster and an initialised database; `config` holds extra YAML lines. */
export function makeRig(
  opts: {
    /** extra top-level YAML */ config?: string;
    /** extra lines under `collection:` (indented by two spaces) */ collection?: string;
    dbUrl?: string;
    /** pbs.command_timeout, seconds (default 2: the timeout fault shows fast) */ commandTimeout?: number;
    preset?: 'tiny' | 'polaris';
    /** emulated start, epoch seconds (default: the emulator's fixed date in 2025) */
    start?: number;
  } = {},
): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'rel-rig-'));
  const cluster = join(dir, 'cluster');
  createCluster(cluster, {
    preset: opts.preset ?? 'tiny',
    seed: 3,
    historyHours: 24,
    // the CLI here runs with TZ=UTC and no pbs.timezone: PBS must print its times in that zone
    timezone: 'UTC',
    ...(opts.start === undefined ? {} : { start: opts.start }),
  });
  const home = join(dir, 'home');
  mkdirSync(home);
  const dbPath = join(dir, 'history.db');
  const dbUrl = opts.dbUrl ?? `sqlite:///${dbPath}`;
  const config = join(dir, 'config.yaml');
  // one attempt, no back-off: each fault shows in the very run it hits
  writeFileSync(
    config,
    `pbs:\n  command_timeout: ${opts.commandTimeout ?? 2}\ncollection:\n  retry:\n    attempts: 1\n    base_delay: 0\n  spool_dir: ${join(dir, 'spool')}\n${opts.collection ?? ''}${opts.config ?? ''}`,
  );
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    PBS_MONITOR_PBS_BIN: binDir(cluster),
    PBS_MONITOR_DB_URL: dbUrl,
    PBS_MONITOR_CONFIG: config,
  };
  const rig: Rig = {
    dir,
    cluster,
    dbPath,
    dbUrl,
    config,
    env,
    cli(args, extraEnv = {}) {
      const r = spawnSync(process.execPath, [CLI, ...args], {
        cwd: home,
        env: { ...env, ...extraEnv },
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: CHILD_OUTPUT_LIMIT,
      });
      return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    },
    spawnCli: (args) =>
      spawn(process.execPath, [CLI, ...args], { cwd: home, env, stdio: 'ignore' }),
    fault: (kind, times = null) => setFault(cluster, kind, times),
    advance: (seconds) => advance(cluster, seconds),
    now: () => now(cluster),
    async storedJobs() {
      const h = await open(dbUrl);
      try {
        const rows = await h.db.selectFrom('jobs').select(['job_id', 'state']).execute();
        const out = new Map<string, { state: string; count: number }>();
        for (const r of rows) {
          const prev = out.get(r.job_id);
          out.set(r.job_id, { state: r.state, count: (prev?.count ?? 0) + 1 });
        }
        return out;
      } finally {
        await h.close();
      }
    },
    async logRows(limit) {
      const h = await open(dbUrl);
      try {
        const rows = await h.db
          .selectFrom('data_collection_log')
          .select(['kind', 'status', 'repairs', 'error'])
          .orderBy('id', 'desc')
          .limit(limit)
          .execute();
        return rows.map((r) => ({ ...r, repairs: Number(r.repairs) }));
      } finally {
        await h.close();
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  const init = rig.cli(['database', 'init']);
  if (init.code !== 0) throw new Error(`database init failed: ${init.stderr}`);
  return rig;
}

function open(url: string) {
  return openDatabase({
    url,
    config: defaultConfig(),
    logger: silentLogger(),
    home: tmpdir(),
    requireCurrentSchema: false,
  });
}

/**
 * Jobs of the ground truth PBS showed at some collection between `firstAt` and `lastAt` (emulated
 * time) that are missing from the database, stored twice, or stored with a wrong current state.
 */
export function truthProblems(
  rig: Rig,
  stored: Map<string, { state: string; count: number }>,
  firstAt: number,
  lastAt: number,
): string[] {
  const problems: string[] = [];
  for (const t of expectedTruthJobs(rig, firstAt, lastAt)) {
    const s = stored.get(t.job_id);
    if (!s) problems.push(`${t.job_id}: missing`);
    else if (s.count > 1) problems.push(`${t.job_id}: stored ${s.count} times`);
    else if ((t.purged_at === null || t.purged_at > lastAt) && s.state !== t.final_state)
      problems.push(`${t.job_id}: state ${s.state}, truth ${t.final_state}`);
  }
  return problems;
}

/** Jobs of the ground truth that PBS showed at some moment between `firstAt` and `lastAt` (emulated time). */
export function expectedTruthJobs(rig: Rig, firstAt: number, lastAt: number): TruthJob[] {
  return readTruth(rig.cluster).filter(
    (t) => t.submit_time <= lastAt && (t.purged_at === null || t.purged_at >= firstAt),
  );
}
