/**
 * The daemon as a real background process against the emulator and a SQLite history: start
 * --detach, status, growth, reload, a second daemon refused, SIGKILL + start again, restart, stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { alive, canRun, logLines, makeRig, waitFor, type Rig } from '../daemon/process-rig.js';

const INTERVALS = {
  job_interval: 2,
  node_interval: 30,
  queue_interval: 30,
  snapshot_interval: 30,
  reservation_interval: 30,
};

const jobRuns = (rig: Rig) =>
  rig.query(async (h) =>
    Number(
      (
        await h.db
          .selectFrom('data_collection_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'jobs')
          .where('status', '=', 'ok')
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );
const jobCount = (rig: Rig) =>
  rig.query(async (h) =>
    Number(
      (
        await h.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );

describe.runIf(canRun)('daemon as a real process', () => {
  let rig: Rig;
  let pid1 = 0;
  beforeAll(async () => {
    rig = await makeRig(INTERVALS);
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  it('start --detach returns once the daemon runs; status says so (exit 0, json)', async () => {
    const r = rig.cli(['daemon', 'start', '--detach', '--log-file', rig.logFile]);
    expect(r.stderr).toMatch(/^daemon started in the background \(PID \d+\); PID file /);
    expect(r.code).toBe(0);
    pid1 = rig.pid()!;
    expect(r.stderr).toContain(`(PID ${pid1})`);
    expect(alive(pid1)).toBe(true);
    expect(readFileSync(`/proc/${pid1}/cmdline`, 'utf8').split('\0')).toContain(
      '--foreground-child',
    );
    const s = rig.cli(['daemon', 'status', '--format', 'json']);
    expect(s.code).toBe(0);
    const st = JSON.parse(s.stdout) as {
      running: boolean;
      pid: number;
      config: { database: string };
      collectors: { kind: string; intervalS: number }[];
    };
    expect(st.running).toBe(true);
    expect(st.pid).toBe(pid1);
    expect(st.config.database).toBe(`sqlite:///${rig.dbPath}`);
    expect(st.collectors.map((c) => [c.kind, c.intervalS])).toEqual([
      ['jobs', 2],
      ['nodes', 30],
      ['queues', 30],
      ['system', 30],
      ['reservations', 30],
    ]);
  });

  it('collects: the database grows as the emulated cluster moves', async () => {
    await waitFor('a first jobs run', async () => (await jobRuns(rig)) >= 1);
    const before = await jobCount(rig);
    expect(before).toBeGreaterThan(0);
    rig.emu(['advance', rig.cluster, '2h']);
    await waitFor('new jobs in the history', async () => (await jobCount(rig)) > before);
    // the table view while running shows each collector's last run
    const s = rig.cli(['daemon', 'status']);
    expect({ code: s.code, stderr: s.stderr }).toEqual({ code: 0, stderr: '' });
    expect(s.stdout).toMatch(new RegExp(`^daemon: running \\(PID ${pid1}, up `));
    expect(s.stdout).toMatch(/\njobs +2s +\d{4}-\d\d-\d\dT[\d:]+Z +ok /);
  });

  it('a second daemon on the same database is refused, naming the holder', () => {
    const r = rig.cli([
      'daemon',
      'start',
      '--pid-file',
      `${rig.dir}/second.pid`,
      '--log-file',
      `${rig.dir}/second.log`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`another collector already uses this database: PID ${pid1} on `);
    expect(r.stderr).toContain(`(lock ${rig.dbPath}.lock)`);
    expect(existsSync(`${rig.dir}/second.pid`)).toBe(false);
    // and with the same PID file
    const same = rig.cli(['daemon', 'start', '--detach', '--log-file', rig.logFile]);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain(`already running (PID ${pid1}`);
  });

  it('reload applies a new interval', () => {
    rig.writeConfig({ ...INTERVALS, job_interval: 5 });
    const r = rig.cli(['daemon', 'reload']);
    expect(r.stderr).toContain(`daemon reloaded (PID ${pid1}): intervals jobs 5s, nodes 30s`);
    expect(r.code).toBe(0);
    const st = JSON.parse(rig.cli(['daemon', 'status', '--format', 'json']).stdout) as {
      collectors: { kind: string; intervalS: number }[];
    };
    expect(st.collectors[0]).toMatchObject({ kind: 'jobs', intervalS: 5 });
    expect(logLines(rig).some((l) => l.msg === 'configuration reloaded, log file reopened')).toBe(
      true,
    );
  });

  it('after SIGKILL: status exit 3, a new start cleans the stale PID file and lock, history continues without duplicates', async () => {
    process.kill(pid1, 'SIGKILL');
    await waitFor('the daemon to die', () => !alive(pid1));
    const s = rig.cli(['daemon', 'status', '--format', 'json']);
    expect(s.code).toBe(3);
    expect(JSON.parse(s.stdout)).toMatchObject({
      running: false,
      stale: `process ${pid1} is gone`,
    });
    expect(existsSync(`${rig.dbPath}.lock`)).toBe(true);
    const runsBefore = await jobRuns(rig);
    rig.emu(['advance', rig.cluster, '1h']);
    const r = rig.cli(['daemon', 'start', '--detach', '--log-file', rig.logFile]);
    expect(r.code).toBe(0);
    const pid2 = rig.pid()!;
    expect(pid2).not.toBe(pid1);
    expect(logLines(rig).some((l) => l.msg === 'removed a stale PID file' && l.pid === pid2)).toBe(
      true,
    );
    await waitFor('a jobs run by the new daemon', async () => (await jobRuns(rig)) > runsBefore);
    const dups = await rig.query((h) =>
      sql<{
        job_id: string;
      }>`select job_id from jobs group by server_id, job_id having count(*) > 1`.execute(h.db),
    );
    expect(dups.rows).toEqual([]);
    // every run in the log is complete: a status and a duration
    const incomplete = await rig.query((h) =>
      h.db
        .selectFrom('data_collection_log')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('status', 'not in', ['ok', 'partial', 'failed']),
            eb('duration_ms', 'is', null),
          ]),
        )
        .execute(),
    );
    expect(incomplete).toEqual([]);
  });

  it('restart: stops the running daemon and starts a new one in the background', () => {
    const pid2 = rig.pid()!;
    const r = rig.cli(['daemon', 'restart', '--log-file', rig.logFile]);
    expect(r.code).toBe(0);
    const pid3 = rig.pid()!;
    expect(pid3).not.toBe(pid2);
    expect(alive(pid2)).toBe(false);
    expect(r.stderr).toContain(`daemon stopped (PID ${pid2}`);
    expect(r.stderr).toContain(`daemon started in the background (PID ${pid3})`);
  });

  it('stop: graceful, files removed; then status exits 3 and stop says not running', async () => {
    const pid2 = rig.pid()!;
    const r = rig.cli(['daemon', 'stop']);
    expect(r.stderr).toMatch(new RegExp(`^daemon stopped \\(PID ${pid2}, in [\\d.]+ s\\)`));
    expect(r.code).toBe(0);
    expect(alive(pid2)).toBe(false);
    expect(existsSync(rig.pidFile)).toBe(false);
    expect(existsSync(`${rig.dbPath}.lock`)).toBe(false);
    expect(existsSync(`${rig.pidFile}.state.json`)).toBe(false);
    expect(logLines(rig).at(-1)).toMatchObject({ msg: 'daemon stopped', pid: pid2 });
    const s = rig.cli(['daemon', 'status']);
    expect(s.code).toBe(3);
    expect(s.stdout).toMatch(/^daemon: not running\n/);
    expect(s.stdout).toMatch(/\njobs +5s +\d{4}-/);
    const again = rig.cli(['daemon', 'stop']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('the daemon is not running (no PID file');
  });
});
