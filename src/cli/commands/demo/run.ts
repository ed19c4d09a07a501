/**
 * The demo: an emulated cluster in a folder, then the real CLI pointed at it — live views, a week
 * of collection by the daemon's own schedule on emulated time, history, a job timeline, analytics.
 * Each step runs the built CLI as a child process, exactly as a user would type it.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../../../deps.js';
import { createDeps } from '../../../deps.js';
import { UserError } from '../../errors.js';

export interface DemoOptions {
  preset: 'tiny' | 'small' | 'polaris';
  days: number;
  seed: number;
  dir?: string;
  history: boolean;
}

const MAIN = fileURLToPath(new URL('../../../main.js', import.meta.url));

/** Steps whose exit code was not 0: the demo reports them and exits 1 (a demo must not hide a failure). */
const failedSteps: string[] = [];

/** Runs `pbs-monitor <args>` with the demo's config, streaming its output. */
async function cli(deps: Deps, execPath: string, cfg: string, args: string[]): Promise<number> {
  // interrupted (Ctrl-C, SIGTERM): run no further step; main() exits 130
  if (deps.signal?.aborted) return 130;
  const code = await runStep(deps, execPath, cfg, args);
  if (code !== 0) failedSteps.push(`pbs-monitor ${args.join(' ')} (exit ${code})`);
  return code;
}

function runStep(deps: Deps, execPath: string, cfg: string, args: string[]): Promise<number> {
  deps.io.writeErr(`\n$ pbs-monitor ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(execPath, [MAIN, '-c', cfg, ...args], {
      env: {
        ...deps.env,
        PBS_MONITOR_DB_URL: '',
        PBS_MONITOR_CONFIG: '',
        COLUMNS: String(deps.io.columns ?? 120),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (b: Buffer) => deps.io.write(b.toString()));
    child.stderr.on('data', (b: Buffer) => deps.io.writeErr(b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function say(deps: Deps, lines: string[]): void {
  deps.io.writeErr(`\n${lines.map((l) => `# ${l}`).join('\n')}\n`);
}

/** Runs the demo. */
export async function run(opts: DemoOptions, deps: Deps): Promise<void> {
  const emu = await import('../../../emulator/api.js');
  const execPath = deps.execPath;
  const base = opts.dir ?? mkdtempSync(join(tmpdir(), 'pbs-monitor-demo-'));
  mkdirSync(base, { recursive: true });
  const clusterDir = join(base, 'cluster');
  const cfg = join(base, 'pbs_monitor.yaml');
  const days = opts.history ? opts.days : 0;
  let jobId: string | null = null;
  failedSteps.length = 0;
  try {
    // the emulated week ends now, so "the last 30 days" of history includes it
    const start = deps.clock.now() - days * 86400;
    say(deps, [
      `pbs-monitor demo: an emulated PBS cluster (preset ${opts.preset}) in ${base}`,
      'It prints real PBS Professional output (qstat / pbsnodes / pbs_rstat / qselect), so',
      'everything below is the real pbs-monitor reading "PBS" exactly as on a cluster.',
    ]);
    emu.createCluster(clusterDir, { preset: opts.preset, seed: opts.seed, start, timezone: 'UTC' });
    const bin = emu.binDir(clusterDir);
    writeFileSync(
      cfg,
      [
        '# written by `pbs-monitor demo`',
        'pbs:',
        `  bin_dir: ${JSON.stringify(bin)}`,
        '  timezone: UTC',
        'database:',
        `  url: ${JSON.stringify(`sqlite:///${join(base, 'history.db')}`)}`,
        '# coarser than the defaults (900/1800/3600 s) so the demo week runs in about a minute',
        'collection:',
        '  job_interval: 1800',
        '  node_interval: 3600',
        '  snapshot_interval: 3600',
        '  queue_interval: 7200',
        '  reservation_interval: 7200',
        'logging:',
        `  file: ${JSON.stringify(join(base, 'demo.log'))}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    if (days > 0) {
      say(deps, [
        `First, the daemon's own schedule runs over ${days} emulated day${days === 1 ? '' : 's'} (the cluster's clock moves`,
        'between ticks): jobs every 30 min, nodes and system every hour, queues every 2 hours.',
      ]);
      await cli(deps, execPath, cfg, ['database', 'init', '--yes']);
      const { runDaemonOverEmulatedTime } = await import('../../../daemon/emulated-run.js');
      const d = createDeps({
        io: deps.io,
        clock: deps.clock,
        env: { ...deps.env, PBS_MONITOR_DB_URL: undefined, PBS_MONITOR_CONFIG: undefined },
        cwd: deps.cwd,
        home: deps.home,
        globals: { ...deps.globals, configPath: cfg, logFile: join(base, 'demo.log') },
        signal: deps.signal,
      });
      let ticks = 0;
      {
        const summary = await runDaemonOverEmulatedTime({
          clusterDir,
          days,
          deps: d,
          onRun: (_r, now) => {
            ticks += 1;
            if (deps.io.isStderrTTY && ticks % 20 === 0)
              deps.io.writeErr(`\r  emulated ${new Date(now * 1000).toISOString().slice(0, 16)}Z`);
          },
        });
        if (deps.io.isStderrTTY) deps.io.writeErr('\n');
        const parts = Object.entries(summary.kinds).map(
          ([k, s]) => `${k} ${s?.runs ?? 0} runs (${s?.failed ?? 0} failed)`,
        );
        const failedRuns = Object.values(summary.kinds).reduce((n, k) => n + (k?.failed ?? 0), 0);
        if (failedRuns > 0)
          failedSteps.push(
            `${failedRuns} collection run(s) failed (see ${join(base, 'demo.log')})`,
          );
        say(deps, [
          `Collected ${summary.runs} runs in ${(summary.wallMs / 1000).toFixed(1)} s: ${parts.join(', ')}.`,
        ]);
      }
      if (deps.signal?.aborted) {
        await d.close();
        return; // interrupted: main() exits 130, the folder is cleaned up below
      }
      jobId = await pickJobWithTimeline(d);
      await d.close();
    }
    say(deps, ['The live views: what PBS shows now.']);
    await cli(deps, execPath, cfg, ['status']);
    await cli(deps, execPath, cfg, ['jobs', '--limit', '12']);
    await cli(deps, execPath, cfg, ['nodes', '--state', 'down,offline']);
    await cli(deps, execPath, cfg, ['queues']);
    await cli(deps, execPath, cfg, ['resv', 'list']);
    if (days > 0) {
      say(deps, [
        'The history: finished jobs, including those PBS has already purged',
        '(its job_history_duration is 5 days here; the database keeps them all).',
      ]);
      await cli(deps, execPath, cfg, [
        'history',
        '--limit',
        '12',
        '--sort',
        'end_time',
        '--reverse',
      ]);
      if (jobId) {
        say(deps, [`One job's stored lifecycle, every transition with its time:`]);
        await cli(deps, execPath, cfg, ['job', 'show', jobId]);
      }
      say(deps, [
        `Analytics over the ${days} collected day${days === 1 ? '' : 's'} (each ends with its data-quality line: jobs already`,
        'running or finished at the first collection are flagged "partial").',
      ]);
      const window = ['--days', String(days)];
      await cli(deps, execPath, cfg, ['analyze', 'wait-times', '--by', 'queue', ...window]);
      await cli(deps, execPath, cfg, ['analyze', 'usage', '--by', 'user', '--top', '5', ...window]);
      await cli(deps, execPath, cfg, ['database', 'status']);
    }
    say(deps, [
      'To watch a real cluster: run pbs-monitor on a PBS login node (it finds qstat on PATH or in',
      '/opt/pbs/bin; else set pbs.bin_dir), `pbs-monitor database init`, then `pbs-monitor daemon',
      'start --detach` to keep collecting. See `pbs-monitor --help` and the README.',
      opts.dir
        ? `The demo's files stay in ${base}.`
        : 'The demo cleans up its temporary folder now.',
    ]);
    if (failedSteps.length > 0 && !deps.signal?.aborted)
      throw new UserError(`demo: ${failedSteps.length} step(s) failed: ${failedSteps.join('; ')}`);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`demo failed: ${(err as Error).message}`, 1, { cause: err });
  } finally {
    if (!opts.dir) rmSync(base, { recursive: true, force: true });
  }
}

/** The finished job with the most stored transitions (oldest first on ties), for the timeline. */
async function pickJobWithTimeline(d: Deps): Promise<string | null> {
  const db = await d.db();
  const row = await db
    .selectFrom('jobs as j')
    .innerJoin('job_history as h', 'h.job_row_id', 'j.id')
    .select('j.job_id as id')
    .where('j.state', '=', 'F')
    .where('j.lifecycle_quality', '=', 'complete')
    .where('j.start_time', 'is not', null)
    .groupBy(['j.id', 'j.job_id'])
    .orderBy((eb) => eb.fn.countAll(), 'desc')
    .orderBy('j.id')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}
