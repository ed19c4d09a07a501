/** The daemon commands in-process, with a fake host: stop, status, reload, install-service, start refusals. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeps, type Deps } from '../../src/deps.js';
import { captureIO, type CapturedIO } from '../../src/cli/io.js';
import { FakeClock } from '../../src/util/clock.js';
import { UserError } from '../../src/cli/errors.js';
import { run as stop } from '../../src/cli/commands/daemon/stop.js';
import { run as status } from '../../src/cli/commands/daemon/status.js';
import { run as reload } from '../../src/cli/commands/daemon/reload.js';
import { run as start } from '../../src/cli/commands/daemon/start.js';
import { run as installService, unitText } from '../../src/cli/commands/daemon/install-service.js';
import { formatUptime } from '../../src/cli/commands/daemon/common.js';
import { fakeHost, DAEMON_CMD } from '../daemon/fake-host.js';

let dir: string;
let io: CapturedIO;
const T0 = Date.UTC(2026, 0, 1);

function deps(extra = '', env: Record<string, string> = {}): Deps {
  writeFileSync(
    join(dir, 'cfg.yaml'),
    `database:\n  url: sqlite:///${join(dir, 'none.db')}\ndaemon:\n  pid_file: ${join(dir, 'd.pid')}\n${extra}`,
  );
  io = captureIO();
  return createDeps({
    io,
    clock: new FakeClock(T0),
    env,
    cwd: dir,
    home: dir,
    globals: { verbose: false, quiet: false, configPath: join(dir, 'cfg.yaml') },
  });
}

const exitOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 0;
  } catch (err) {
    if (err instanceof UserError) return err.exitCode;
    throw err;
  }
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pbsmon-dcmd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('daemon stop', () => {
  it('sends SIGTERM and waits until the process is gone', async () => {
    const host = fakeHost(1);
    host.procs.set(500, DAEMON_CMD);
    writeFileSync(join(dir, 'd.pid'), '500\n');
    let polls = 0;
    // alive for the PID-file check and two polls (100 ms of clock each), then gone
    host.isAlive = (p) => {
      if (p === 500 && ++polls > 3) host.procs.delete(500);
      return host.procs.has(p);
    };
    expect(await stop({ host }, deps())).toBe('stopped');
    expect(host.sent).toEqual([{ pid: 500, sig: 'SIGTERM' }]);
    expect(io.stderr()).toBe('daemon stopped (PID 500, in 0.2 s)\n');
  });

  it('says so and exits 1 when the daemon does not stop in time', async () => {
    const host = fakeHost(1);
    host.procs.set(500, DAEMON_CMD);
    writeFileSync(join(dir, 'd.pid'), '500\n');
    const d = deps();
    await expect(stop({ host, timeout: '2' }, d)).rejects.toThrow(
      'the daemon (PID 500) did not stop within 2 s; it may still be finishing a run: wait, or force it with kill -9 500',
    );
    expect(await exitOf(stop({ host, timeout: '1' }, d))).toBe(1);
  });

  it('cleans a stale PID file that names another program, without signalling it', async () => {
    const host = fakeHost(1);
    host.procs.set(600, ['/usr/lib/firefox/firefox']);
    writeFileSync(join(dir, 'd.pid'), '600\n');
    writeFileSync(join(dir, 'd.pid.state.json'), JSON.stringify({ pid: 600 }));
    expect(await stop({ host }, deps())).toBe('stale-cleaned');
    expect(host.sent).toEqual([]);
    expect(existsSync(join(dir, 'd.pid'))).toBe(false);
    expect(existsSync(join(dir, 'd.pid.state.json'))).toBe(false);
    expect(io.stderr()).toContain('removed a stale PID file');
    expect(io.stderr()).toContain('PID 600 now belongs to another program (firefox)');
  });

  it('reports a daemon that is not running (exit 0)', async () => {
    expect(await stop({ host: fakeHost(1) }, deps())).toBe('not-running');
    expect(io.stderr()).toBe(`the daemon is not running (no PID file ${join(dir, 'd.pid')})\n`);
  });
});

describe('daemon status', () => {
  it('exits 3 when not running, with the configured schedule and the database problem', async () => {
    const d = deps('collection:\n  job_interval: 300\n');
    const err = await status({ host: fakeHost(1), format: 'json' }, d).catch(
      (e: unknown) => e as UserError,
    );
    expect((err as UserError).exitCode).toBe(3);
    const s = JSON.parse(io.stdout()) as Record<string, unknown> & {
      collectors: { kind: string; intervalS: number; last: unknown }[];
    };
    expect(s.running).toBe(false);
    expect(s.pid).toBeNull();
    expect(s.collectors.map((c) => [c.kind, c.intervalS, c.last])).toEqual([
      ['jobs', 300, null],
      ['nodes', 1800, null],
      ['queues', 3600, null],
      ['system', 1800, null],
      ['reservations', 1800, null],
    ]);
    expect(String(s.databaseError)).toContain('database init');
  });

  it('exits 0 when running and shows uptime and next runs from the state file', async () => {
    const host = fakeHost(1);
    host.procs.set(700, DAEMON_CMD);
    writeFileSync(join(dir, 'd.pid'), '700\n');
    const started = T0 / 1000 - 3725;
    writeFileSync(
      join(dir, 'd.pid.state.json'),
      JSON.stringify({
        pid: 700,
        host: 'login1',
        startedAt: started,
        updatedAt: started,
        reloadedAt: null,
        reloads: 0,
        configPath: '/etc/x.yaml',
        database: 'sqlite:///x.db',
        logFile: '/var/log/p.log',
        lock: 'x',
        jitter: 0.05,
        intervals: { jobs: 900 },
        next: { jobs: T0 / 1000 + 60 },
        runs: { jobs: 4 },
        skipped: { jobs: 1 },
        jumps: 0,
        inFlight: ['nodes'],
      }),
    );
    const s = await status({ host }, deps());
    expect(s.running).toBe(true);
    expect(s.uptimeS).toBe(3725);
    expect(s.collectors[0]).toMatchObject({
      kind: 'jobs',
      intervalS: 900,
      next: T0 / 1000 + 60,
      runs: 4,
      skipped: 1,
    });
    const out = io.stdout();
    expect(out.split('\n').slice(0, 6)).toEqual([
      'daemon: running (PID 700, up 1h 2m)',
      'running now: nodes',
      `PID file: ${join(dir, 'd.pid')}`,
      'config: /etc/x.yaml',
      'database: sqlite:///x.db',
      'log: /var/log/p.log',
    ]);
    expect(out).toMatch(/\njobs +900s +- +- +- +- +- +- +2026-01-01T00:01:00Z\n/);
  });
});

describe('daemon reload / start refusals', () => {
  it('reload when not running exits 3', async () => {
    expect(await exitOf(reload({ host: fakeHost(1) }, deps()))).toBe(3);
  });

  it('reload reports a config the daemon could not load (exit 1)', async () => {
    const host = fakeHost(1);
    host.procs.set(900, DAEMON_CMD);
    writeFileSync(join(dir, 'd.pid'), '900\n');
    const statePath = join(dir, 'd.pid.state.json');
    writeFileSync(
      statePath,
      JSON.stringify({ pid: 900, reloadAttempts: 2, reloadError: null, intervals: {} }),
    );
    // the "daemon" answers the SIGHUP by recording a failed attempt
    host.kill = (pid, sig) => {
      host.sent.push({ pid, sig });
      writeFileSync(
        statePath,
        JSON.stringify({
          pid: 900,
          reloadAttempts: 3,
          reloadError: 'invalid configuration in x.yaml',
          intervals: {},
        }),
      );
      return true;
    };
    await expect(reload({ host }, deps())).rejects.toThrow(
      'the daemon (PID 900) could not reload, it keeps its configuration: invalid configuration in x.yaml',
    );
    expect(host.sent).toEqual([{ pid: 900, sig: 'SIGHUP' }]);
  });

  it('start refuses when collection.daemon_enabled is false (exit 1)', async () => {
    const d = deps('collection:\n  daemon_enabled: false\n');
    await expect(start({ host: fakeHost(1), detach: true }, d)).rejects.toThrow(
      'the daemon is disabled by collection.daemon_enabled: false',
    );
    expect(await exitOf(start({ host: fakeHost(1) }, d))).toBe(1);
  });

  it('start --detach refuses when a daemon already runs', async () => {
    const host = fakeHost(1);
    host.procs.set(800, DAEMON_CMD);
    writeFileSync(join(dir, 'd.pid'), '800\n');
    await expect(start({ host, detach: true }, deps())).rejects.toThrow(
      'the daemon is already running (PID 800',
    );
  });
});

describe('daemon install-service', () => {
  it('prints a unit that runs the daemon in the foreground', async () => {
    await installService(
      { host: fakeHost(1), print: true },
      deps('collection:\n  shutdown_timeout: 45\n'),
    );
    expect(io.stdout()).toBe(
      unitText({
        node: '/usr/bin/node',
        script: '/opt/pbs-monitor/dist/main.js',
        args: ['--config', join(dir, 'cfg.yaml')],
        stopTimeoutS: 60,
        system: false,
        user: undefined,
      }),
    );
    expect(io.stdout()).toContain(
      `\nExecStart=/usr/bin/node /opt/pbs-monitor/dist/main.js --config ${join(dir, 'cfg.yaml')} daemon start\n`,
    );
    expect(io.stdout()).toContain('\nRestart=on-failure\n');
    expect(io.stdout()).toContain('\nKillSignal=SIGTERM\n');
    expect(io.stdout()).toContain('\nTimeoutStopSec=60\n');
    expect(io.stdout()).toContain('\nWantedBy=default.target\n');
  });

  it('writes the user unit, never overwrites without --force', async () => {
    const path = join(dir, '.config/systemd/user/pbs-monitor.service');
    await installService({ host: fakeHost(1) }, deps());
    expect(readFileSync(path, 'utf8')).toContain('ExecStart=/usr/bin/node');
    writeFileSync(path, 'mine\n');
    await expect(installService({ host: fakeHost(1) }, deps())).rejects.toThrow(
      `${path} already exists: not overwriting it (use --force)`,
    );
    expect(readFileSync(path, 'utf8')).toBe('mine\n');
    await installService({ host: fakeHost(1), force: true }, deps());
    expect(readFileSync(path, 'utf8')).toContain('[Service]');
  });

  it('a system unit names the user and the multi-user target; quotes paths with spaces', () => {
    const t = unitText({
      node: '/opt/my node/node',
      script: '/srv/pbs monitor/main.js',
      args: [],
      stopTimeoutS: 45,
      system: true,
      user: 'hpcmon',
    });
    expect(t).toContain('\nUser=hpcmon\n');
    expect(t).toContain(
      '\nExecStart="/opt/my node/node" "/srv/pbs monitor/main.js" daemon start\n',
    );
    expect(t).toContain('\nWantedBy=multi-user.target\n');
  });
});

describe('formatUptime', () => {
  it('shows the two largest units', () => {
    expect([0, 59, 61, 3725, 90061].map(formatUptime)).toEqual([
      '0s',
      '59s',
      '1m 1s',
      '1h 2m',
      '1d 1h',
    ]);
  });
});
