/**
 * Database faults with real processes: SQLite locked by another writer past the busy timeout,
 * `collect` killed with SIGKILL at random moments, and a full disk. After each, the next good run
 * leaves a valid database with every job PBS showed stored exactly once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../cli/cli-setup.js';
import { ROOT } from '../helpers/paths.js';
import { makeRig, truthProblems, type Rig } from './rig.js';

const require = createRequire(import.meta.url);

beforeAll(() => requireBuild());

describe('SQLite locked by another writer', () => {
  let rig: Rig;
  beforeAll(() => {
    rig = makeRig({ config: 'database:\n  busy_timeout_ms: 500\n' });
  }, 60_000);
  afterAll(() => rig?.cleanup());

  it('collect fails cleanly while the lock is held (nothing written), then succeeds', async () => {
    const good = rig.cli(['collect', '--jobs']);
    expect(good.code, good.stderr).toBe(0);
    const before = await rig.storedJobs();
    const logBefore = (await rig.logRows(1000)).length;
    rig.advance(1800);
    // another process holds an exclusive transaction for 20 s (or until killed)
    const driver = require.resolve('better-sqlite3', { paths: [ROOT] });
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D=require(${JSON.stringify(driver)});const db=new D(${JSON.stringify(rig.dbPath)});db.exec('BEGIN EXCLUSIVE');process.stdout.write('locked\\n');setTimeout(()=>{},20000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((res) => holder.stdout!.once('data', () => res()));
    try {
      const locked = rig.cli(['collect', '--jobs']);
      expect(locked.code).not.toBe(0);
      expect(locked.code).not.toBeNull();
      expect(locked.stderr).toMatch(/collection failed .*database is locked/);
      expect(locked.stderr).toMatch(/^pbs-monitor: 1 of 1 collectors failed \(jobs\)$/m);
      expect(locked.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
    } finally {
      holder.kill('SIGKILL');
      await new Promise((res) => holder.once('exit', res));
    }
    // nothing half-written: the same jobs, unchanged
    expect(await rig.storedJobs()).toEqual(before);
    const after = rig.cli(['collect', '--jobs']);
    expect(after.code, after.stderr).toBe(0);
    expect((await rig.logRows(1000)).length).toBeGreaterThan(logBefore);
    const v = rig.cli(['database', 'validate']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  }, 60_000);
});

describe('collect killed with SIGKILL at random moments', () => {
  let rig: Rig;
  beforeAll(() => {
    rig = makeRig();
  }, 60_000);
  afterAll(() => rig?.cleanup());

  it('15 kills, then one good run: database validate passes, no job lost or duplicated', async () => {
    // one good run first: the window PBS showed starts here (a job purged while every run is being
    // killed was never stored by anyone, and is not a loss)
    const first = rig.cli(['collect', '--jobs']);
    expect(first.code, first.stderr).toBe(0);
    const firstAt = rig.now();
    // deterministic "random" delays spread over a whole run (start-up, PBS calls, the write)
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const killedAt: number[] = [];
    for (let i = 0; i < 15; i++) {
      rig.advance(300);
      const child = rig.spawnCli(['collect', '--jobs']);
      const delay = Math.round(100 + rand() * 1900);
      const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await exited;
      clearTimeout(timer);
      killedAt.push(delay);
    }
    expect(killedAt).toHaveLength(15);
    rig.advance(300);
    const good = rig.cli(['collect', '--jobs']);
    expect(good.code, good.stderr).toBe(0);
    const v = rig.cli(['database', 'validate']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const stored = await rig.storedJobs();
    expect(stored.size).toBeGreaterThan(50);
    expect(truthProblems(rig, stored, firstAt, rig.now())).toEqual([]);
  }, 90_000);
});

/** root may mount a tmpfs here; elsewhere the disk-full case is skipped with a note */
function canMount(): boolean {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') return false;
  return spawnSync('mount', ['--version']).status === 0;
}
const MOUNT = canMount();
if (!MOUNT) console.log('note: not root (or no mount): the disk-full test is skipped');

describe.runIf(MOUNT)('disk full (SQLite on a small tmpfs)', () => {
  let rig: Rig;
  let mnt: string;
  beforeAll(() => {
    const base = makeRig();
    base.cleanup();
    mnt = join(base.dir);
    mkdirSync(mnt, { recursive: true });
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]);
    if (m.status !== 0) throw new Error(`mount failed: ${m.stderr}`);
    rig = makeRig({ dbUrl: `sqlite:///${join(mnt, 'history.db')}` });
  }, 60_000);
  afterAll(() => {
    rig?.cleanup();
    if (mnt) {
      spawnSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });

  it('collect fails cleanly when the disk fills; old data intact; works again once space is freed', async () => {
    const good = rig.cli(['collect', '--jobs']);
    expect(good.code, good.stderr).toBe(0);
    const before = await rig.storedJobs();
    // fill every free byte of the filesystem
    const filler = join(mnt, 'filler');
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch {
      /* ENOSPC: full */
    }
    try {
      for (;;) writeSync(fd, block.subarray(0, 512));
    } catch {
      /* full to the last block */
    }
    closeSync(fd);
    expect(statSync(filler).size).toBeGreaterThan(0);
    rig.advance(3600);
    const full = rig.cli(['collect', '--jobs']);
    expect(full.code).not.toBe(0);
    expect(full.code).not.toBeNull();
    expect(full.stderr).toMatch(/^pbs-monitor: /m);
    // SQLite says "disk I/O error" when it cannot grow its WAL/shm files on a full disk
    expect(full.stderr).toMatch(
      /cannot open the SQLite database .*: (disk I\/O error|database or disk is full)/,
    );
    expect(full.stderr).not.toMatch(/\n\s+at /);
    rmSync(filler);
    expect(await rig.storedJobs()).toEqual(before);
    const again = rig.cli(['collect', '--jobs']);
    expect(again.code, again.stderr).toBe(0);
    const v = rig.cli(['database', 'validate']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  }, 60_000);
});
