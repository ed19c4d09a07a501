/**
 * Soak, opt-in: PBS_MONITOR_SOAK=1 [PBS_MONITOR_SOAK_MINUTES=2], on SQLite and, when
 * PBS_MONITOR_TEST_PG_URL is set, on a fresh PostgreSQL database. The daemon collects every 5 s
 * from the emulator (polaris preset) while 8 processes loop over `jobs`, `history`, `analyze` and
 * `jobs --collect`, and emulated time moves on. Counts every failure a user would have seen (must
 * be 0), then checks nothing was lost or stored twice, and prints the figures as one JSON line.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { expectedTruthJobs, makeRig, truthProblems, type Rig } from './rig.js';
import { checkHistory } from './soak-evidence.js';
import { countDaemonRuns, startSoakDaemon, type SoakDaemon } from './soak-daemon.js';
import { percentile, runUserLoad } from './soak-load.js';

const ENABLED = process.env.PBS_MONITOR_SOAK === '1';
const MINUTES = Number(process.env.PBS_MONITOR_SOAK_MINUTES ?? 2);
const USERS = 8;
if (!ENABLED) console.log('note: the soak test is off (PBS_MONITOR_SOAK=1 runs it)');

/** 8 commands for 8 users: at each step every one of them runs next to the others; 2 write. */
const COMMANDS: string[][] = [
  ['jobs'],
  ['history', '--days', '36500', '--limit', '50'],
  ['analyze', 'usage'],
  ['jobs', '--collect'],
  ['analyze', 'wait-times'],
  ['history', '--state', 'all', '--sort', 'wait_time', '--format', 'json', '--limit', '200'],
  ['analyze', 'wait-times', '--by', 'user', '--format', 'json'],
  ['jobs', '--collect'],
];

const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
const round = (ms: number) => Math.round(ms);

for (const dialect of DIALECTS) {
  describe.runIf(ENABLED)(`soak on ${dialect}: daemon + ${USERS} concurrent users`, () => {
    let rig: Rig | undefined;
    let daemon: SoakDaemon | undefined;
    let db: TestDatabase | undefined;
    afterAll(async () => {
      // a failed or interrupted run must not leave the daemon behind
      const c = daemon?.child;
      if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      rig?.cleanup();
      await db?.drop();
    });

    it(
      `runs ${MINUTES} min with no failure surfaced to users and no lost or duplicated job`,
      async () => {
        db = dialect === 'postgres' ? await freshDatabase('postgres') : undefined;
        rig = makeRig({
          preset: 'polaris',
          // the CLI reads the wall clock, the emulator its own: started now (and run ahead), the
          // emulated clock keeps `qselect -t m.gt.<last run>` meaningful, as on a real cluster
          // (started in 2025 it matched nothing, and a job born and gone between two runs was lost)
          start: Math.floor(Date.now() / 1000),
          commandTimeout: 60,
          dbUrl: db?.url,
          config: 'database:\n  busy_timeout_ms: 30000\n',
          collection:
            '  job_interval: 5\n  node_interval: 5\n  queue_interval: 5\n  snapshot_interval: 5\n  reservation_interval: 5\n  jitter: 0\n',
        });
        const r = rig;
        const first = r.cli(['collect']);
        expect(first.code, first.stderr).toBe(0);
        const firstAt = r.now();
        daemon = startSoakDaemon(r);
        const end = Date.now() + MINUTES * 60_000;
        const clock = (async () => {
          while (Date.now() < end) {
            await new Promise((res) => setTimeout(res, 3000));
            r.advance(120);
          }
        })();
        const [, load] = await Promise.all([
          clock,
          runUserLoad({ commands: COMMANDS, workers: USERS, until: end, env: r.env, cwd: r.dir }),
        ]);
        const stopped = await daemon.stop();
        const loadAtEnd = loadAvg();
        const last = r.cli(['collect']);
        const lastAt = r.now();
        const v = r.cli(['database', 'validate']);
        const stored = await r.storedJobs();
        const runs = countDaemonRuns(daemon.logFile);
        const problems = truthProblems(r, stored, firstAt, lastAt);
        const history = await checkHistory(r.dbUrl);
        const truth = new Map(expectedTruthJobs(r, firstAt, lastAt).map((t) => [t.job_id, t]));
        const ms = load.runs.map((x) => x.ms);
        const byCommand: Record<string, { n: number; p50: number; p95: number }> = {};
        for (const key of new Set(COMMANDS.map((c) => c.join(' ')))) {
          const these = load.runs.filter((x) => x.args.join(' ') === key).map((x) => x.ms);
          byCommand[key] = {
            n: these.length,
            p50: round(percentile(these, 50)),
            p95: round(percentile(these, 95)),
          };
        }
        const figures = {
          dialect,
          minutes: MINUTES,
          users: USERS,
          userRuns: load.runs.length,
          userFailures: load.failures.length,
          latencyMs: { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) },
          daemonRuns: runs.done,
          daemonRunsPartial: runs.partial,
          daemonRunsFailed: runs.failed,
          daemonExit: stopped.code,
          daemonPeakRssMib: stopped.peakRssMib,
          jobsInTruth: truth.size,
          jobsInDb: stored.size,
          duplicates: [...stored.values()].filter((s) => s.count > 1).length,
          truthProblems: problems.length,
          transitions: history.transitions,
          transitionChainBreaks: history.chainBreaks,
          transitionRepeats: history.repeats,
          validateExit: v.code,
          loadAvgAtEnd: loadAtEnd,
          cpus: cpus().length,
          byCommand,
        };
        console.log(`soak figures: ${JSON.stringify(figures)}`);
        for (const f of load.failures.slice(0, 20)) console.log(`user failure: ${f}`);
        for (const f of runs.failedSamples) console.log(`daemon run failed: ${f}`);
        for (const p of problems.slice(0, 20))
          console.log(`truth problem: ${p} ${JSON.stringify(truth.get(p.split(':')[0]!))}`);
        if (v.code !== 0) {
          console.log(`database validate:\n${v.stdout}${v.stderr}`);
          for (const l of history.outOfOrder) console.log(`  ${l}`);
        }
        expect(load.failures).toEqual([]);
        expect(stopped.code).toBe(0);
        expect(runs.failed).toBe(0);
        expect(last.code, last.stderr).toBe(0);
        // BUG (found here; reproduced by soak-race.test.ts): a view's --collect and the daemon record
        // the same transition twice, the daemon's copy dated earlier: validate then reports
        // "job transitions out of time order". See the comment in soak-race.test.ts.
        expect({ repeats: history.repeats, chainBreaks: history.chainBreaks }).toEqual({
          repeats: 0,
          chainBreaks: 0,
        });
        expect(v.code, v.stdout + v.stderr).toBe(0);
        expect(problems).toEqual([]);
      },
      MINUTES * 60_000 + 180_000,
    );
  });
}
