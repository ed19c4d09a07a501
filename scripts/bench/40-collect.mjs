// Collection engine at the aurora preset (emulator): a full first run and a steady-state run
// (~1 % of jobs changed), each split into PBS command / parse / compare / write time with rows
// written and peak RSS; then database growth per emulated day (jobs every 15 min, nodes and
// system every 30, queues every 60). PBS commands run in-process against the emulator, so "pbs"
// is the emulator's own cost; the collector's own work is parse + compare + write.
// The same first and steady runs are then replayed on a fresh database from the PBS output
// recorded during the live runs (scripts/bench/_replay.mjs), so neither the emulator's CPU nor
// its garbage counts: those are the figures of the collector alone (wall and CPU time).
// `--hours N` sets the emulated span measured for growth (default 6, scaled to a day).
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { sql } from 'kysely';
import { mb, peakRss, row } from './_util.mjs';
import { recordingRunner, replayRunner } from './_replay.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = (p) => import(join(ROOT, 'dist', p));
const { openDatabase } = await dist('store/db.js');
const { migrateToLatest } = await dist('store/migrate.js');
const { createPbsClient } = await dist('pbs/client.js');
const { describeFailure } = await dist('pbs/command-failure.js');
const { runCollection } = await dist('collect/run.js');
const { createCluster, advance, now, runPbsCommand } = await dist('emulator/api.js');
const { defaultConfig } = await dist('config/schema.js');
const { silentLogger } = await dist('util/logger.js');
const { FakeClock } = await dist('util/clock.js');

const argP = process.argv.indexOf('--profile');
/** `--profile FILE`: a V8 CPU profile of the replayed first run (open in Chrome DevTools) */
const PROFILE = argP > 0 ? process.argv[argP + 1] : null;
const argH = process.argv.indexOf('--hours');
const GROWTH_HOURS = argH > 0 ? Number(process.argv[argH + 1]) : 6;
const TZ = 'America/Chicago';
const dir = mkdtempSync(join(tmpdir(), 'bench-collect-'));
const emu = join(dir, 'cluster');

function emulatorRunner() {
  const timings = [];
  return {
    async run(command, args) {
      const t0 = performance.now();
      const r = runPbsCommand(command, emu, args, { TZ, LC_ALL: 'C' });
      const stdout = Buffer.isBuffer(r.stdout) ? r.stdout : Buffer.from(r.stdout);
      const ms = performance.now() - t0;
      timings.push({ command: [command, ...args].join(' '), ms, bytes: stdout.length });
      if (r.code !== 0) throw describeFailure(command, r.code, r.stderr, stdout);
      return { stdout, stderr: r.stderr, ms };
    },
    takeTimings: () => timings.splice(0),
  };
}

/** Resets the peak RSS (Linux clear_refs 5), so a later phase reports its own peak. */
function resetPeakRss() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux: the peak stays the process's */
  }
}

const ownMs = (s) => (s.parse ?? 0) + (s.compare ?? 0) + (s.write ?? 0);

function dbBytes(path) {
  let n = 0;
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

row('load average (1 min) at start', loadavg()[0].toFixed(1));
try {
  const t0 = performance.now();
  createCluster(emu, {
    preset: 'aurora',
    seed: 1,
    historyHours: 120,
    start: Date.UTC(2026, 0, 5) / 1000,
  });
  row(
    'aurora cluster created (emulator warm-up, not counted)',
    `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const config = defaultConfig();
  config.pbs.timezone = TZ;
  config.collection.retry = { attempts: 1, base_delay: 0, max_delay: 0 };
  const openFresh = async (name) => {
    const path = join(dir, name);
    const h = await openDatabase({
      url: `sqlite:///${path}`,
      config,
      logger: silentLogger(),
      home: dir,
      create: true,
      requireCurrentSchema: false,
    });
    await migrateToLatest(h.db);
    return { h, path };
  };
  const { h: handle, path: dbPath } = await openFresh('history.db');
  const captureDir = (phase) => join(dir, 'capture', phase);
  const liveRunner = emulatorRunner();
  let recorder = recordingRunner(liveRunner, captureDir('first'));
  const pbs = createPbsClient({
    config,
    env: {},
    logger: silentLogger(),
    runner: { run: (c, a) => recorder.run(c, a), takeTimings: () => recorder.takeTimings() },
  });
  const firstAt = now(emu) * 1000;
  const clock = new FakeClock(firstAt);
  const ctx = {
    db: handle.db,
    pbs,
    clock,
    logger: silentLogger(),
    config,
    spoolDir: join(dir, 'spool'),
  };

  const report = (label, results) => {
    for (const r of results) {
      const s = r.steps;
      const own = ownMs(s);
      row(`${label} ${r.kind}: items seen`, r.itemsSeen);
      row(
        `${label} ${r.kind}: pbs / parse / compare / write ms`,
        `${s.pbs}/${s.parse}/${s.compare}/${s.write}`,
      );
      row(
        `${label} ${r.kind}: collector's own work (parse+compare+write)`,
        `${(own / 1000).toFixed(2)} s`,
        r.kind === 'jobs' ? (label === 'first run' ? '≤ 3 s' : '≤ 1 s') : '',
      );
      row(`${label} ${r.kind}: rows written (inserted + updated)`, r.rowsInserted + r.rowsUpdated);
      if (r.status !== 'ok') row(`${label} ${r.kind}: STATUS`, `${r.status}: ${r.error}`);
    }
  };

  const all = ['jobs', 'nodes', 'queues', 'system', 'reservations'];
  const first = await runCollection(ctx, all);
  report('first run', first);
  row('peak RSS after the first run', mb(peakRss()));

  advance(emu, 300);
  const steadyAt = now(emu) * 1000;
  clock.set(steadyAt);
  recorder = recordingRunner(liveRunner, captureDir('steady'));
  const live = (
    await handle.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('final_state_recorded', '=', 0)
      .executeTakeFirst()
  ).n;
  const steady = await runCollection(ctx, ['jobs', 'nodes']);
  report('steady (+5 min)', steady);
  const j = steady[0];
  row(
    'steady: jobs changed / live jobs in view',
    `${j.rowsUpdated + (j.rowsInserted - j.transitions)} / ${live}`,
    'rows ∝ change',
  );
  row('peak RSS after the steady run', mb(peakRss()));
  recorder = liveRunner;

  if (GROWTH_HOURS > 0) await growth(handle, dbPath, ctx, clock);
  await handle.close();

  await replay(config, openFresh, captureDir, firstAt, steadyAt);
  row('load average (1 min) at the end', loadavg()[0].toFixed(1));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Database growth: the daemon's schedule over GROWTH_HOURS, scaled to a day. */
async function growth(handle, dbPath, ctx, clock) {
  const checkpoint = () =>
    sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(handle.db).catch(() => undefined);
  await checkpoint();
  const before = dbBytes(dbPath);
  const steps = Math.round((GROWTH_HOURS * 3600) / 900);
  const tg = performance.now();
  let jobsOwn = 0;
  for (let i = 1; i <= steps; i++) {
    advance(emu, 900);
    clock.set(now(emu) * 1000);
    const kinds = ['jobs'];
    if (i % 2 === 0) kinds.push('nodes', 'system', 'reservations');
    if (i % 4 === 0) kinds.push('queues');
    const rs = await runCollection(ctx, kinds);
    const s = rs[0].steps;
    jobsOwn += (s.parse ?? 0) + (s.compare ?? 0) + (s.write ?? 0);
  }
  await checkpoint();
  const grown = dbBytes(dbPath) - before;
  row(`database growth over ${GROWTH_HOURS} emulated hours`, mb(grown));
  row('database growth per emulated day (scaled)', mb((grown * 24) / GROWTH_HOURS), '≤ 50 MB');
  row(
    'steady jobs runs: mean collector own work',
    `${(jobsOwn / steps / 1000).toFixed(2)} s`,
    '≤ 1 s',
  );
  row(
    `wall time of the ${steps} scheduled runs (incl. emulator)`,
    `${((performance.now() - tg) / 1000).toFixed(1)} s`,
  );
  row('peak RSS', mb(peakRss()));
}

/**
 * The first and steady runs again, on a fresh database, from the recorded PBS output: the
 * collector alone. Each collector runs by itself so its CPU time is its own.
 */
async function replay(config, openFresh, captureDir, firstAt, steadyAt) {
  console.log('-- replay of the recorded PBS output (no emulator in the process)');
  globalThis.gc?.();
  resetPeakRss();
  const { h, path } = await openFresh('replay.db');
  let runner = replayRunner(captureDir('first'));
  const ctx = {
    db: h.db,
    pbs: createPbsClient({
      config,
      env: {},
      logger: silentLogger(),
      runner: { run: (c, a) => runner.run(c, a), takeTimings: () => runner.takeTimings() },
    }),
    clock: new FakeClock(firstAt),
    logger: silentLogger(),
    config,
    spoolDir: join(dir, 'spool-replay'),
  };
  const timed = async (label, kinds, aim) => {
    let ownAll = 0;
    let cpuAll = 0;
    for (const kind of kinds) {
      const c0 = process.cpuUsage();
      const [r] = await runCollection(ctx, [kind]);
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000;
      const s = r.steps;
      ownAll += ownMs(s);
      cpuAll += cpu;
      if (r.status !== 'ok') row(`${label} ${kind}: STATUS`, `${r.status}: ${r.error}`);
      row(
        `${label} ${kind}: read / parse / compare / write ms`,
        `${s.pbs}/${s.parse}/${s.compare}/${s.write}`,
      );
      row(
        `${label} ${kind}: own work wall, CPU`,
        `${(ownMs(s) / 1000).toFixed(2)} s, ${(cpu / 1000).toFixed(2)} s`,
        kind === 'jobs' ? aim : '',
      );
      if (kind === 'jobs') row(`${label} jobs: rows written`, r.rowsInserted + r.rowsUpdated);
    }
    row(
      `${label} all collectors: own work wall, CPU`,
      `${(ownAll / 1000).toFixed(2)} s, ${(cpuAll / 1000).toFixed(2)} s`,
    );
    row(`${label}: peak RSS`, mb(peakRss()));
  };
  const session = PROFILE ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  await timed('replay first run', ['jobs', 'nodes', 'queues', 'system', 'reservations'], '≤ 3 s');
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(PROFILE, JSON.stringify(profile));
    session.disconnect();
  }
  const j = await sql`select count(*) as n, avg(length(raw_attrs)) as raw from jobs`.execute(h.db);
  const { n, raw } = j.rows[0];
  row('replay first run: jobs stored, mean gzip raw_attrs per job', `${n}, ${Math.round(raw)} B`);
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(h.db);
  row('replay first run: database bytes per stored job', `${Math.round(dbBytes(path) / n)} B`);
  runner = replayRunner(captureDir('steady'));
  ctx.clock.set(steadyAt);
  await timed('replay steady (+5 min)', ['jobs', 'nodes'], '≤ 1 s');
  await h.close();
}
