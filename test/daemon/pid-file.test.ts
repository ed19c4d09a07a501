import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  lstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  acquirePidFile,
  cleanStalePidFile,
  isDaemonCommandLine,
  readPidFile,
  releasePidFile,
} from '../../src/daemon/pid-file.js';
import { createExclusive } from '../../src/daemon/exclusive-file.js';
import { fakeHost, DAEMON_CMD } from './fake-host.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pbsmon-pid-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('PID file', () => {
  it('is created with our PID and no temp file left behind', () => {
    const host = fakeHost(4242);
    const p = join(dir, 'd.pid');
    expect(acquirePidFile(p, host)).toEqual({ cleaned: null });
    expect(readFileSync(p, 'utf8')).toBe('4242\n');
    expect(readdirSync(dir)).toEqual(['d.pid']);
    expect(readPidFile(p, host)).toEqual({ state: 'running', pid: 4242 });
    expect(releasePidFile(p, 4242)).toBe(true);
    expect(existsSync(p)).toBe(false);
  });

  it('refuses to start while the daemon it names is running', () => {
    const host = fakeHost(4242);
    host.procs.set(777, DAEMON_CMD);
    const p = join(dir, 'd.pid');
    writeFileSync(p, '777\n');
    expect(() => acquirePidFile(p, host)).toThrow('a daemon is already running (PID 777');
    expect(readFileSync(p, 'utf8')).toBe('777\n');
  });

  it('cleans a stale file whose process is gone', () => {
    const host = fakeHost(4242);
    const p = join(dir, 'd.pid');
    writeFileSync(p, '999\n');
    expect(readPidFile(p, host)).toEqual({
      state: 'stale',
      pid: 999,
      reason: 'process 999 is gone',
    });
    expect(acquirePidFile(p, host)).toEqual({ cleaned: 'process 999 is gone' });
    expect(readFileSync(p, 'utf8')).toBe('4242\n');
  });

  it('does not trust a PID that now belongs to another program', () => {
    const host = fakeHost(4242);
    host.procs.set(555, ['/usr/sbin/sshd', '-D']);
    const p = join(dir, 'd.pid');
    writeFileSync(p, '555\n');
    expect(readPidFile(p, host)).toEqual({
      state: 'stale',
      pid: 555,
      reason: 'PID 555 now belongs to another program (sshd)',
    });
    expect(cleanStalePidFile(p, host)).toBe(true);
    expect(existsSync(p)).toBe(false);
    // the other program was never signalled
    expect(host.sent).toEqual([]);
  });

  it('treats garbage content as stale', () => {
    const host = fakeHost();
    const p = join(dir, 'd.pid');
    writeFileSync(p, 'hello\n');
    expect(readPidFile(p, host)).toEqual({
      state: 'stale',
      pid: null,
      reason: 'it holds no valid PID',
    });
  });

  it('refuses a symbolic link and never writes through it', () => {
    const host = fakeHost(4242);
    const target = join(dir, 'precious');
    writeFileSync(target, 'do not touch\n');
    const p = join(dir, 'd.pid');
    symlinkSync(target, p);
    expect(readPidFile(p, host)).toEqual({ state: 'symlink' });
    expect(() => acquirePidFile(p, host)).toThrow('is a symbolic link: refusing to use it');
    expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
    expect(lstatSync(p).isSymbolicLink()).toBe(true);
    // a dangling link is refused too (O_CREAT would follow it and create the target)
    const dangling = join(dir, 'x.pid');
    symlinkSync(join(dir, 'nowhere'), dangling);
    expect(() => acquirePidFile(dangling, host)).toThrow('symbolic link');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('lets exactly one of many concurrent creators win', () => {
    const p = join(dir, 'race');
    const wins = Array.from({ length: 50 }, (_, i) => createExclusive(p, `${i}\n`)).filter(Boolean);
    expect(wins.length).toBe(1);
    expect(readFileSync(p, 'utf8')).toBe('0\n');
    expect(readdirSync(dir)).toEqual(['race']);
  });

  it('release leaves a file that holds another PID alone', () => {
    const p = join(dir, 'd.pid');
    writeFileSync(p, '31337\n');
    expect(releasePidFile(p, 4242)).toBe(false);
    expect(readFileSync(p, 'utf8')).toBe('31337\n');
  });

  it('recognises daemon command lines', () => {
    expect(
      isDaemonCommandLine(['node', '/home/u/pbs-monitor/dist/main.js', 'daemon', 'start']),
    ).toBe(true);
    expect(
      isDaemonCommandLine(['/usr/bin/node', '/usr/local/bin/pbs-monitor', 'daemon', 'start']),
    ).toBe(true);
    expect(isDaemonCommandLine(['node', '/srv/app/main.js', 'serve'])).toBe(false);
    expect(isDaemonCommandLine(['bash'])).toBe(false);
    expect(isDaemonCommandLine(null)).toBe(false);
  });
});
