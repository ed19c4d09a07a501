/**
 * The database-outage rig: the real daemon schedule over an emulated cluster (tiny preset) with a
 * fault that makes the database unavailable at chosen ticks, then the checks that nothing was
 * lost: `database validate`, every job of the emulator's truth stored exactly (compareWithTruth),
 * and what was replayed from the outage spool.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCluster, now, readTruth, type TruthJob } from '../../../src/emulator/api.js';
import { runDaemonOverEmulatedTime } from '../../../src/daemon/emulated-run.js';
import type { RunCollectionFn } from '../../../src/daemon/daemon.js';
import type { CollectionResult } from '../../../src/collect/types.js';
import { listCaptures, outageDir } from '../../../src/collect/outage/capture-file.js';
import { createDeps } from '../../../src/deps.js';
import { captureIO } from '../../../src/cli/io.js';
import { systemClock } from '../../../src/util/clock.js';
import { loadConfig } from '../../../src/config/load.js';
import {
  validateDatabase,
  type ValidationReport,
} from '../../../src/store/maintenance/validate.js';
import type { Dialect } from '../../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../../helpers/open-test-db.js';
import { compareWithTruth } from '../emu-harness.js';

export const INTERVALS = { jobs: 300, nodes: 600, system: 600, queues: 1800, reservations: 1800 };

/** Makes the database unavailable and available again. */
export interface DbFault {
  /** the URL the daemon uses (a proxy for PostgreSQL) */
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface OutageRunOptions {
  dialect: Dialect;
  hours: number;
  /** the fault, given the test database's URL */
  fault(url: string): Promise<DbFault>;
  /** called after each tick with seconds since the start; inject the fault here */
  onTick(elapsedS: number, fault: DbFault, results: CollectionResult[]): Promise<void>;
  /** wraps the collection engine (to cut the database in the middle of a run) */
  wrapRun?(run: RunCollectionFn, fault: DbFault): RunCollectionFn;
  extraConfig?: string;
}

export interface OutageRunReport {
  from: number;
  /** every result the schedule saw, with the tick's elapsed seconds */
  results: Array<CollectionResult & { elapsedS: number }>;
  truth: TruthJob[];
  capturesLeft: number;
  validation: ValidationReport;
  compare: Awaited<ReturnType<typeof compareWithTruth>>;
  /** log rows written by a replay: [kind, started_at - from, status] */
  replayed: Array<[string, number, string]>;
  /** system snapshots and node snapshot rows per tick instant (seconds since the start) */
  systemSnapshotsAt: number[];
  nodeSnapshotsAt: number[];
}

/** Runs the scenario and gathers what the checks need; removes everything it made. */
export async function runOutageScenario(opts: OutageRunOptions): Promise<OutageRunReport> {
  const dir = mkdtempSync(join(tmpdir(), 'pbsmon-outage-'));
  const cluster = join(dir, 'cluster');
  let t: TestDatabaseHandle | undefined;
  let fault: DbFault | undefined;
  try {
    createCluster(cluster, { preset: 'tiny', seed: 5, historyHours: 24, timezone: 'UTC' });
    t = await openTestDatabase(opts.dialect);
    fault = await opts.fault(t.url);
    const f = fault;
    const cfgPath = join(dir, 'config.yaml');
    writeFileSync(
      cfgPath,
      [
        'pbs:',
        '  timezone: UTC',
        'database:',
        `  url: ${f.url}`,
        '  busy_timeout_ms: 100',
        'collection:',
        '  jitter: 0',
        `  spool_dir: ${join(dir, 'spool')}`,
        '  retry:',
        '    attempts: 1',
        '    base_delay: 0',
        opts.extraConfig ?? '',
      ].join('\n'),
    );
    const env = { TZ: 'UTC', LC_ALL: 'C', HOME: dir, PATH: '/usr/bin:/bin' };
    const deps = createDeps({
      io: captureIO(),
      clock: systemClock,
      env,
      cwd: dir,
      home: dir,
      globals: { verbose: false, quiet: true, configPath: cfgPath },
    });
    const from = now(cluster);
    const lastTick = from + opts.hours * 3600 - INTERVALS.jobs;
    const results: OutageRunReport['results'] = [];
    let truth: TruthJob[] = [];
    const base = (await import('../../../src/collect/run.js')).runCollection;
    try {
      await runDaemonOverEmulatedTime({
        clusterDir: cluster,
        days: opts.hours / 24,
        deps,
        intervals: INTERVALS,
        runCollection: opts.wrapRun ? opts.wrapRun(base, f) : base,
        onRun: async (rs, at) => {
          results.push(...rs.map((r) => ({ ...r, elapsedS: at - from })));
          // the truth as of the last tick: later changes were never collected
          if (at === lastTick) truth = readTruth(cluster);
          await opts.onTick(at - from, f, rs);
        },
      });
    } finally {
      await deps.close();
    }
    await f.up();
    const db = t.handle.db;
    const { config } = await loadConfig({ explicitPath: cfgPath, env, home: dir, cwd: dir });
    const logRows = await db
      .selectFrom('data_collection_log')
      .select(['kind', 'started_at', 'status', 'details'])
      .orderBy('id')
      .execute();
    const sys = await db.selectFrom('system_snapshots').select('snapshot_time').execute();
    const nodes = await db.selectFrom('node_snapshots').select('snapshot_time').execute();
    return {
      from,
      results,
      truth,
      capturesLeft: (await listCaptures(outageDir(join(dir, 'spool')))).length,
      validation: await validateDatabase(db, config),
      compare: await compareWithTruth(db, truth, { firstRun: from }),
      replayed: logRows
        .filter((r) => (JSON.parse(r.details ?? '{}') as { replayed_from?: number }).replayed_from)
        .map((r) => [r.kind, Number(r.started_at) - from, r.status]),
      systemSnapshotsAt: sys.map((r) => Number(r.snapshot_time) - from).sort((a, b) => a - b),
      nodeSnapshotsAt: [...new Set(nodes.map((r) => Number(r.snapshot_time) - from))].sort(
        (a, b) => a - b,
      ),
    };
  } finally {
    await fault?.close();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
