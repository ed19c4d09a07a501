import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  acquireAdvisoryLock,
  acquireCollectorLock,
  acquireLockFile,
  advisoryKey,
  LockHeldError,
} from '../../src/daemon/collector-lock.js';
import { freshDatabase, PG_URL, type TestDatabase } from '../helpers/databases.js';
import { openDatabase, type DatabaseHandle } from '../../src/store/db.js';
import { defaultConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';
import { fakeHost, DAEMON_CMD } from './fake-host.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pbsmon-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite lock file', () => {
  it('is taken with pid, host and start time, and released', async () => {
    const db = join(dir, 'h.db');
    const lock = acquireLockFile(
      db,
      { pid: 4242, host: 'login1', startedAt: 1_700_000_000 },
      fakeHost(4242),
    );
    expect(lock.where).toBe(`${db}.lock`);
    expect(JSON.parse(readFileSync(`${db}.lock`, 'utf8'))).toEqual({
      pid: 4242,
      host: 'login1',
      startedAt: 1_700_000_000,
    });
    await lock.release();
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('refuses a second daemon, naming the holder', () => {
    const db = join(dir, 'h.db');
    const first = fakeHost(100);
    acquireLockFile(db, { pid: 100, host: 'login1', startedAt: 1_700_000_000 }, first);
    const second = fakeHost(200);
    second.procs.set(100, DAEMON_CMD);
    expect(() =>
      acquireLockFile(db, { pid: 200, host: 'login1', startedAt: 1_700_000_100 }, second),
    ).toThrow(
      `another collector already uses this database: PID 100 on login1, started 2023-11-14T22:13:20.000Z (lock ${db}.lock)`,
    );
  });

  it('refuses a lock held from another host (its pid cannot be checked here)', () => {
    const db = join(dir, 'h.db');
    writeFileSync(
      `${db}.lock`,
      JSON.stringify({ pid: 100, host: 'login2', startedAt: 1_700_000_000 }),
    );
    const e = (() => {
      try {
        acquireLockFile(db, { pid: 200, host: 'login1', startedAt: 1 }, fakeHost(200));
      } catch (err) {
        return err as Error;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(LockHeldError);
    expect(e!.message).toContain('PID 100 on login2');
    expect(e!.message).toContain('if that host is gone, remove the lock file by hand');
  });

  it('replaces a stale lock left by a dead process on this host', async () => {
    const db = join(dir, 'h.db');
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 100, host: 'login1', startedAt: 1 }));
    const lock = acquireLockFile(db, { pid: 200, host: 'login1', startedAt: 2 }, fakeHost(200));
    expect(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).pid).toBe(200);
    await lock.release();
  });

  it('replaces a lock whose pid now runs another program', () => {
    const db = join(dir, 'h.db');
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 100, host: 'login1', startedAt: 1 }));
    const h = fakeHost(200);
    h.procs.set(100, ['vim', 'notes.txt']);
    acquireLockFile(db, { pid: 200, host: 'login1', startedAt: 2 }, h);
    expect(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).pid).toBe(200);
  });
});

describe('advisory key', () => {
  it('is a stable signed 64-bit key per server name', () => {
    expect(advisoryKey('pbs1')).toBe(advisoryKey('pbs1'));
    expect(advisoryKey('pbs1')).not.toBe(advisoryKey('pbs2'));
    const k = advisoryKey('default');
    expect(k >= -(2n ** 63n) && k < 2n ** 63n).toBe(true);
  });
});

describe.runIf(PG_URL)('PostgreSQL advisory lock', () => {
  let fresh: TestDatabase;
  const handles: DatabaseHandle[] = [];
  const open = async (url = fresh.url) => {
    const h = await openDatabase({
      url,
      config: defaultConfig(),
      logger: silentLogger(),
      home: tmpdir(),
      requireCurrentSchema: false,
    });
    handles.push(h);
    return h;
  };
  beforeEach(async () => {
    fresh = await freshDatabase('postgres');
  });
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.close();
    await fresh.drop();
  });

  it('lets one daemon hold it, names it to the second, frees it on release', async () => {
    // two pools on one database, as two daemons on two login nodes
    const a = await open();
    const b = await open();
    const lock = await acquireCollectorLock(
      a,
      'pbs1',
      { pid: 100, host: 'login1', startedAt: 1 },
      fakeHost(100),
    );
    expect(lock.where).toBe(`advisory lock ${advisoryKey('pbs1')}`);
    await expect(
      acquireCollectorLock(b, 'pbs1', { pid: 200, host: 'login2', startedAt: 2 }, fakeHost(200)),
    ).rejects.toThrow(
      /another collector already uses this database for PBS server pbs1: pbs-monitor daemon pid=100 host=login1 \(server backend \d+, client/,
    );
    // another PBS server in the same database is another collector
    const otherServer = await acquireCollectorLock(
      b,
      'pbs2',
      { pid: 200, host: 'login2', startedAt: 2 },
      fakeHost(200),
    );
    await otherServer.release();
    await lock.release();
    const again = await acquireCollectorLock(
      b,
      'pbs1',
      { pid: 200, host: 'login2', startedAt: 2 },
      fakeHost(200),
    );
    await again.release();
  });

  // a PostgreSQL restart ends the session holding the lock, and the server releases the lock
  it('re-takes the lock after its connection was cut, or refuses when a rival took it', async () => {
    const proxy = await startTcpProxy();
    try {
      const a = await open(proxy.via(fresh.url));
      const b = await open();
      const lost: string[] = [];
      const owner = { pid: 100, host: 'login1', startedAt: 1 };
      const lock = await acquireAdvisoryLock(a.db, 'pbs1', owner, {
        onLost: (e) => lost.push(e.message),
        pingMs: 50,
      });
      const rival = () =>
        acquireCollectorLock(b, 'pbs1', { pid: 200, host: 'login2', startedAt: 2 }, fakeHost(200));
      await expect(rival()).rejects.toThrow(LockHeldError);

      await proxy.down();
      for (let i = 0; i < 100 && lost.length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(lost).toHaveLength(1);
      await lock.check(); // the database is still away: no error, nothing held
      await proxy.up();
      await lock.check(); // re-taken
      await expect(rival()).rejects.toThrow(LockHeldError);

      // lost again, and this time a rival takes it first: check() says so
      await proxy.down();
      for (let i = 0; i < 100 && lost.length === 1; i++)
        await new Promise((r) => setTimeout(r, 20));
      await proxy.up();
      const rivalLock = await rival();
      await expect(lock.check()).rejects.toThrow(
        /another collector already uses this database for PBS server pbs1: pbs-monitor daemon pid=200/,
      );
      await rivalLock.release();
      await lock.release();
    } finally {
      await proxy.close();
    }
  });
});
