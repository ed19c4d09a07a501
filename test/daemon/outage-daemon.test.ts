/**
 * The daemon's ticks through the outage guard: collectors failing for the database are captured
 * to `<spool_dir>/outage`, the state file shows the spool to `daemon status`, and the next tick
 * with the database back replays the captures (at their instants) before the live run.
 */
import { createMigratedSqlite } from '../helpers/open-test-db.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDaemon, type RunCollectionFn } from '../../src/daemon/daemon.js';
import { createDeps } from '../../src/deps.js';
import { captureIO } from '../../src/cli/io.js';
import { FakeClock } from '../../src/util/clock.js';
import { readStateFile } from '../../src/daemon/state-file.js';
import type { CollectorKind } from '../../src/daemon/collect-contract.js';
import { collectionResult } from '../helpers/collection-result.js';
import { daemonOptions } from './daemon-options.js';
import { FakePbs, makeNode, running } from '../collect/fake-pbs.js';
import { fakeHost } from './fake-host.js';
import { run as daemonStatus } from '../../src/cli/commands/daemon/status.js';

const T0 = Date.UTC(2026, 0, 1);
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pbsmon-outage-daemon-'));
  await createMigratedSqlite(join(dir, 'h.db'), dir);
  writeFileSync(
    join(dir, 'cfg.yaml'),
    [
      'database:',
      `  url: sqlite:///${join(dir, 'h.db')}`,
      'daemon:',
      `  pid_file: ${join(dir, 'd.pid')}`,
      'collection:',
      '  jitter: 0',
      `  spool_dir: ${join(dir, 'spool')}`,
      '  outage_spool_max_mb: 1',
      '  job_interval: 60',
      '  node_interval: 120',
      '  queue_interval: 3600',
      '  snapshot_interval: 3600',
      '  reservation_interval: 3600',
      '',
    ].join('\n'),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const result = (kind: CollectorKind, at: number, error: string | null) =>
  collectionResult(kind, Math.floor(at / 1000), error);

describe('the daemon over a database outage', () => {
  it('spools the ticks the database refuses, shows the spool in its state, replays it on return', async () => {
    const host = fakeHost(4343);
    const pbs = new FakePbs();
    pbs.live = [running(1, 100)];
    pbs.nodeList = [makeNode('n1')];
    const clock = new FakeClock(T0);
    const deps = createDeps({
      io: captureIO(),
      clock,
      env: {},
      cwd: dir,
      home: dir,
      globals: { verbose: false, quiet: true, configPath: join(dir, 'cfg.yaml') },
      pbsClient: pbs,
    });
    const calls: Array<[number, CollectorKind[], number | undefined]> = [];
    const stateSeen: Array<{ captures: number; refused: number } | undefined> = [];
    let live = 0;
    let statusText = '';
    const run: RunCollectionFn = async (ctx, kinds) => {
      const at = ctx.clock.nowMs();
      calls.push([(at - T0) / 1000, kinds, ctx.replayedFrom]);
      // from 60 s to 120 s SQLite is held by another writer past the busy timeout
      const elapsed = clock.nowMs() - T0;
      const locked = elapsed >= 60_000 && elapsed <= 120_000;
      if (ctx.replayedFrom !== undefined)
        return kinds.map((k) => result(k, at, locked ? 'database is locked' : null));
      live += 1;
      const s = readStateFile(join(dir, 'd.pid.state.json'))?.outageSpool;
      stateSeen.push(s && { captures: s.captures, refused: s.refused });
      if (live === 3) {
        const io = captureIO();
        await daemonStatus({ host }, { ...deps, io });
        statusText = io.stdout();
      }
      if (live === 5) host.raise('SIGTERM');
      return kinds.map((k) => result(k, at, locked ? 'database is locked' : null));
    };
    const code = await runDaemon(daemonOptions(dir, deps, host, run));
    expect(code).toBe(0);
    expect(calls).toEqual([
      [0, ['jobs', 'nodes', 'queues', 'system', 'reservations'], undefined],
      [60, ['jobs'], undefined], // fails for the database: captured
      // 120 s: the probe answers, the replay of the first capture fails: kept, this tick captured
      [60, ['jobs'], T0 / 1000 + 60],
      // 180 s: the database is back: the captures first, each at its own instant, then live
      [60, ['jobs'], T0 / 1000 + 60],
      [120, ['jobs'], T0 / 1000 + 120],
      [120, ['nodes'], T0 / 1000 + 120],
      [180, ['jobs'], undefined],
      [240, ['jobs', 'nodes'], undefined],
      [300, ['jobs'], undefined],
    ]);
    // as `daemon status` reads it at the start of each live run
    expect(stateSeen).toEqual([
      { captures: 0, refused: 0 },
      { captures: 0, refused: 0 },
      { captures: 2, refused: 0 },
      { captures: 0, refused: 0 },
      { captures: 0, refused: 0 },
    ]);
    expect(statusText).toMatch(
      /^outage spool: 2 captures waiting for the database \(0\.0 of 1\.0 MB\)$/m,
    );
    expect(readdirSync(join(dir, 'spool', 'outage'))).toEqual([]);
    expect(existsSync(join(dir, 'd.pid.state.json'))).toBe(false);
    await deps.close();
  });
});
