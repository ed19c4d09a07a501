/**
 * Soak (short form), opt-in: PBS_MONITOR_SOAK=1 [PBS_MONITOR_SOAK_MINUTES=2]. The daemon collects
 * every 5 s from the emulator (polaris preset) while 8 processes loop `jobs`, `history`,
 * `analyze usage` and `jobs --collect`, and emulated time moves on. Counts every failure a user
 * would have seen (must be 0), then checks nothing was lost or stored twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/paths.js';
import { makeRig, truthProblems, type Rig } from './rig.js';

const ENABLED = process.env.PBS_MONITOR_SOAK === '1';
const MINUTES = Number(process.env.PBS_MONITOR_SOAK_MINUTES ?? 2);
if (!ENABLED) console.log('note: the soak test is off (PBS_MONITOR_SOAK=1 runs it)');

const LOOPS: string[][] = [
  ['jobs'],
  ['history', '--days', '36500', '--limit', '50'],
  ['analyze', 'usage'],
  ['jobs', '--collect'],
];

describe.runIf(ENABLED)('soak: daemon + 8 concurrent users', () => {
  let rig: Rig;
  let daemon: ChildProcess | undefined;
  afterAll(() => {
    // a failed or interrupted run must not leave the daemon behind
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    rig?.cleanup();
  });

  it(
    `runs ${MINUTES} min with no failure surfaced to users and no lost or duplicated job`,
    async () => {
      rig = makeRig({
        preset: 'polaris',
        commandTimeout: 60,
        config: 'database:\n  busy_timeout_ms: 30000\n',
        collection:
          '  job_interval: 5\n  node_interval: 5\n  queue_interval: 5\n  snapshot_interval: 5\n  reservation_interval: 5\n  jitter: 0\n',
      });
      const first = rig.cli(['collect']);
      expect(first.code, first.stderr).toBe(0);
      const firstAt = rig.now();
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stderr: string }>((res) => {
          const c = spawn(process.execPath, [CLI, ...args], {
            env: rig.env,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          c.once('exit', (code) => res({ code, stderr }));
        });
      daemon = spawn(
        process.execPath,
        [
          CLI,
          'daemon',
          'start',
          '--pid-file',
          join(rig.dir, 'd.pid'),
          '--log-file',
          join(rig.dir, 'd.log'),
        ],
        { env: rig.env, stdio: 'ignore' },
      );
      const end = Date.now() + MINUTES * 60_000;
      const failures: string[] = [];
      let runs = 0;
      const worker = async (i: number) => {
        for (let k = 0; Date.now() < end; k++) {
          const args = LOOPS[(i + k) % LOOPS.length]!;
          const r = await run(args);
          runs++;
          if (r.code !== 0)
            failures.push(`${args.join(' ')} → ${r.code}: ${r.stderr.slice(0, 300)}`);
        }
      };
      const clock = (async () => {
        while (Date.now() < end) {
          await new Promise((res) => setTimeout(res, 3000));
          rig.advance(120);
        }
      })();
      await Promise.all([clock, ...Array.from({ length: 8 }, (_, i) => worker(i))]);
      daemon.kill('SIGTERM');
      const daemonCode = await new Promise<number | null>((res) =>
        daemon!.once('exit', (c) => res(c)),
      );
      const last = rig.cli(['collect']);
      const v = rig.cli(['database', 'validate']);
      const stored = await rig.storedJobs();
      const rows = await rig.logRows(100_000);
      const figures = {
        minutes: MINUTES,
        userRuns: runs,
        userFailures: failures.length,
        daemonLogRows: rows.length,
        failedLogRows: rows.filter((r) => r.status === 'failed').length,
        jobsStored: stored.size,
        daemonExit: daemonCode,
      };
      console.log(`soak figures: ${JSON.stringify(figures)}`);
      for (const r of rows.filter((x) => x.status === 'failed'))
        console.log(`failed log row: ${r.kind}: ${r.error}`);
      if (v.code !== 0) console.log(`database validate:\n${v.stdout}${v.stderr}`);
      expect(failures).toEqual([]);
      expect(daemonCode).toBe(0);
      expect(last.code, last.stderr).toBe(0);
      // BUG (found here, 2 runs of 2 min: 7 and 6 cases): `database validate` reports "job transitions
      // out of time order" — a view's `jobs --collect` and the daemon write the same jobs concurrently,
      // and the later commit carries the earlier observed_at (wall clock, 1–2 s apart). See docs/reliability.md.
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(truthProblems(rig, stored, firstAt, rig.now())).toEqual([]);
    },
    MINUTES * 60_000 + 180_000,
  );
});
