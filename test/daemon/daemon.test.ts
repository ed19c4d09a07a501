import { collectionResult } from '../helpers/collection-result.js';
import { daemonOptions } from './daemon-options.js';
import { createMigratedSqlite } from '../helpers/open-test-db.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDaemon, type RunCollectionFn } from '../../src/daemon/daemon.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { captureIO } from '../../src/cli/io.js';
import { FakeClock } from '../../src/util/clock.js';
import { defaultConfig } from '../../src/config/schema.js';
import { openDatabase } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { silentLogger } from '../../src/util/logger.js';
import { readStateFile } from '../../src/daemon/state-file.js';
import type { CollectorKind } from '../../src/daemon/collect-contract.js';
import { fakeHost, ExitCalled, DAEMON_CMD } from './fake-host.js';
import { freshDatabase, PG_URL, type TestDatabase } from '../helpers/databases.js';

const T0 = Date.UTC(2026, 0, 1);
let dir: string;
let dbPath: string;

function writeConfig(extra: string) {
  writeFileSync(
    join(dir, 'cfg.yaml'),
    `database:\n  url: sqlite:///${dbPath}\ndaemon:\n  pid_file: ${join(dir, 'd.pid')}\ncollection:\n  jitter: 0\n${extra}`,
  );
}

function makeDeps(clock = new FakeClock(T0)): Deps {
  return createDeps({
    io: captureIO(),
    clock,
    env: {},
    cwd: dir,
    home: dir,
    globals: { verbose: false, quiet: false, configPath: join(dir, 'cfg.yaml') },
  });
}

const ok = (kind: CollectorKind, at: number) =>
  collectionResult(kind, Math.floor(at / 1000), null, {
    durationMs: 5,
    itemsSeen: 2,
    rowsInserted: 1,
    transitions: 1,
  });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pbsmon-daemon-'));
  dbPath = join(dir, 'h.db');
  await createMigratedSqlite(dbPath, dir);
  writeConfig(
    '  job_interval: 60\n  node_interval: 120\n  queue_interval: 120\n  snapshot_interval: 120\n  reservation_interval: 120\n',
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runDaemon', () => {
  it('starts, reports ready, runs the schedule, stops gracefully on SIGTERM and cleans up', async () => {
    const host = fakeHost(4242);
    const deps = makeDeps();
    const calls: { at: number; kinds: CollectorKind[] }[] = [];
    let readyFiles: boolean[] = [];
    const run: RunCollectionFn = async (ctx, kinds) => {
      calls.push({ at: ctx.clock.nowMs() - T0, kinds });
      if (calls.length === 4) host.raise('SIGTERM');
      return kinds.map((k) => ok(k, ctx.clock.nowMs()));
    };
    const code = await runDaemon({
      deps,
      host,
      pidFile: join(dir, 'd.pid'),
      logFile: join(dir, 'd.log'),
      runCollection: run,
      onReady: () => {
        readyFiles = [
          existsSync(join(dir, 'd.pid')),
          existsSync(`${dbPath}.lock`),
          existsSync(join(dir, 'd.pid.state.json')),
        ];
      },
    });
    expect(code).toBe(0);
    expect(readyFiles).toEqual([true, true, true]);
    expect(calls).toEqual([
      { at: 0, kinds: ['jobs', 'nodes', 'queues', 'system', 'reservations'] },
      { at: 60_000, kinds: ['jobs'] },
      { at: 120_000, kinds: ['jobs', 'nodes', 'queues', 'system', 'reservations'] },
      { at: 180_000, kinds: ['jobs'] },
    ]);
    // nothing left behind
    expect(existsSync(join(dir, 'd.pid'))).toBe(false);
    expect(existsSync(`${dbPath}.lock`)).toBe(false);
    expect(existsSync(join(dir, 'd.pid.state.json'))).toBe(false);
    const log = readFileSync(join(dir, 'd.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const runLines = log.filter((l) => l.msg === 'collection run');
    expect(runLines.length).toBe(12);
    expect(runLines[0]).toMatchObject({
      kind: 'jobs',
      status: 'ok',
      seen: 2,
      new: 1,
      transitions: 1,
      ms: 5,
    });
    expect(log.map((l) => l.msg)).toContain('daemon started');
    expect(log.at(-1)).toMatchObject({ msg: 'daemon stopped', runs: 4 });
  });

  it('a second stop signal exits at once with 1', async () => {
    const host = fakeHost(4242);
    const deps = makeDeps();
    let thrown: unknown = null;
    const run: RunCollectionFn = async (ctx, kinds) => {
      host.raise('SIGINT');
      try {
        host.raise('SIGTERM');
      } catch (err) {
        thrown = err;
      }
      return kinds.map((k) => ok(k, ctx.clock.nowMs()));
    };
    await runDaemon(daemonOptions(dir, deps, host, run));
    expect(host.exits).toEqual([1]);
    expect(thrown).toBeInstanceOf(ExitCalled);
  });

  it('SIGHUP re-reads the config: a new interval takes effect, the state file shows it', async () => {
    const host = fakeHost(4242);
    const deps = makeDeps();
    const calls: { at: number; kinds: CollectorKind[] }[] = [];
    const run: RunCollectionFn = async (ctx, kinds) => {
      calls.push({ at: ctx.clock.nowMs() - T0, kinds });
      if (calls.length === 2) {
        writeConfig(
          '  job_interval: 10\n  node_interval: 120\n  queue_interval: 120\n  snapshot_interval: 120\n  reservation_interval: 120\n',
        );
        host.raise('SIGHUP');
        // the reload reads the file asynchronously
        for (
          let i = 0;
          i < 100 && (readStateFile(join(dir, 'd.pid.state.json'))?.reloads ?? 0) === 0;
          i++
        )
          await new Promise((r) => setTimeout(r, 10));
        expect(readStateFile(join(dir, 'd.pid.state.json'))!.intervals.jobs).toBe(10);
      }
      if (calls.length === 5) host.raise('SIGTERM');
      return kinds.map((k) => ok(k, ctx.clock.nowMs()));
    };
    await runDaemon(daemonOptions(dir, deps, host, run));
    expect(calls.map((c) => c.at / 1000)).toEqual([0, 60, 70, 80, 90]);
    const log = readFileSync(join(dir, 'd.log'), 'utf8');
    expect(log).toContain('"msg":"configuration reloaded, log file reopened"');
  });

  it('SIGHUP with a broken config keeps the schedule and records the error', async () => {
    const host = fakeHost(4242);
    const deps = makeDeps();
    const statePath = join(dir, 'd.pid.state.json');
    let seen: { intervals: unknown; reloadError: string | null; reloadAttempts: number } | null =
      null;
    const run: RunCollectionFn = async (ctx, kinds) => {
      writeFileSync(join(dir, 'cfg.yaml'), 'collection:\n  job_interval: -5\n');
      host.raise('SIGHUP');
      for (let i = 0; i < 100 && (readStateFile(statePath)?.reloadAttempts ?? 0) === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      const st = readStateFile(statePath)!;
      seen = {
        intervals: st.intervals,
        reloadError: st.reloadError,
        reloadAttempts: st.reloadAttempts,
      };
      host.raise('SIGTERM');
      return kinds.map((k) => ok(k, ctx.clock.nowMs()));
    };
    expect(await runDaemon(daemonOptions(dir, deps, host, run))).toBe(0);
    expect(seen!.reloadAttempts).toBe(1);
    expect(seen!.reloadError).toContain('invalid configuration');
    expect(seen!.intervals).toEqual({
      jobs: 60,
      nodes: 120,
      queues: 120,
      system: 120,
      reservations: 120,
    });
  });

  it('refuses to start when collection.daemon_enabled is false', async () => {
    writeConfig('  daemon_enabled: false\n');
    const host = fakeHost(4242);
    await expect(
      runDaemon({
        deps: makeDeps(),
        host,
        pidFile: join(dir, 'd.pid'),
        logFile: null,
        runCollection: async () => [],
      }),
    ).rejects.toThrow(
      `the daemon is disabled by collection.daemon_enabled: false in ${join(dir, 'cfg.yaml')}`,
    );
    expect(existsSync(join(dir, 'd.pid'))).toBe(false);
  });

  it('refuses when another daemon holds the database lock, naming it, and removes its own PID file', async () => {
    writeFileSync(
      `${dbPath}.lock`,
      JSON.stringify({ pid: 777, host: 'login1', startedAt: 1_790_000_000 }),
    );
    const host = fakeHost(4242, 'login1');
    host.procs.set(777, DAEMON_CMD);
    const deps = makeDeps();
    await expect(
      runDaemon({
        deps,
        host,
        pidFile: join(dir, 'd.pid'),
        logFile: join(dir, 'd.log'),
        runCollection: async () => [],
      }),
    ).rejects.toThrow('another collector already uses this database: PID 777 on login1');
    expect(existsSync(join(dir, 'd.pid'))).toBe(false);
    expect(JSON.parse(readFileSync(`${dbPath}.lock`, 'utf8')).pid).toBe(777);
    await deps.close();
  });

  it('refuses when the database has no schema (exit 4), holding nothing', async () => {
    writeFileSync(
      join(dir, 'cfg.yaml'),
      `database:\n  url: sqlite:///${join(dir, 'missing.db')}\n`,
    );
    const host = fakeHost(4242);
    const err = await runDaemon({
      deps: makeDeps(),
      host,
      pidFile: join(dir, 'd.pid'),
      logFile: null,
      runCollection: async () => [],
    }).catch((e: unknown) => e as { exitCode: number });
    expect((err as { exitCode: number }).exitCode).toBe(4);
    expect(existsSync(join(dir, 'd.pid'))).toBe(false);
  });
});

describe.runIf(PG_URL)('runDaemon on PostgreSQL', () => {
  let fresh: TestDatabase;
  beforeEach(async () => {
    fresh = await freshDatabase('postgres');
    const h = await openDatabase({
      url: fresh.url,
      config: defaultConfig(),
      logger: silentLogger(),
      home: dir,
      requireCurrentSchema: false,
    });
    await migrateToLatest(h.db);
    await h.close();
    writeFileSync(join(dir, 'cfg.yaml'), `database:\n  url: ${fresh.url}\npbs:\n  server: pbs1\n`);
  });
  afterEach(async () => {
    await fresh.drop();
  });

  it('a second daemon (another host) is refused by the advisory lock, naming the first', async () => {
    const hostA = fakeHost(100, 'login1');
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const a = runDaemon({
      deps: makeDeps(),
      host: hostA,
      pidFile: join(dir, 'a.pid'),
      logFile: join(dir, 'a.log'),
      runCollection: async (ctx, kinds) => {
        started();
        // yield to real I/O: the fake clock's sleeps return at once
        await new Promise((r) => setTimeout(r, 20));
        return kinds.map((k) => ok(k, ctx.clock.nowMs()));
      },
    });
    await running;
    const depsB = makeDeps();
    await expect(
      runDaemon({
        deps: depsB,
        host: fakeHost(200, 'login2'),
        pidFile: join(dir, 'b.pid'),
        logFile: join(dir, 'b.log'),
        runCollection: async () => [],
      }),
    ).rejects.toThrow(
      /another collector already uses this database for PBS server pbs1: pbs-monitor daemon pid=100 host=login1 \(server backend \d+/,
    );
    expect(existsSync(join(dir, 'b.pid'))).toBe(false);
    await depsB.close();
    hostA.raise('SIGTERM');
    expect(await a).toBe(0);
    // the lock is free again: B can start now
    const hostB = fakeHost(200, 'login2');
    const b = runDaemon({
      deps: makeDeps(),
      host: hostB,
      pidFile: join(dir, 'b.pid'),
      logFile: join(dir, 'b.log'),
      runCollection: async (ctx, kinds) => {
        hostB.raise('SIGTERM');
        return kinds.map((k) => ok(k, ctx.clock.nowMs()));
      },
    });
    expect(await b).toBe(0);
  });
});
