// Collection engine at the aurora preset (emulator): a full first run and a steady-state run
// (~1 % of jobs changed), each split into PBS command / parse / compare / write time with rows
// written and peak RSS; then database growth per emulated day (jobs every 15 min, nodes and
// system every 30, queues every 60). PBS commands run in-process against the emulator, so "pbs"
// is the emulator's own cost; the collector's own work is parse + compare + write.
// `--hours N` sets the emulated span measured for growth (default 6, scaled to a day).
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { mb, peakRss, row } from './_util.mjs';

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

function dbBytes(path) {
  let n = 0;
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

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
  const dbPath = join(dir, 'history.db');
  const handle = await openDatabase({
    url: `sqlite:///${dbPath}`,
    config,
    logger: silentLogger(),
    home: dir,
    create: true,
    requireCurrentSchema: false,
  });
  await migrateToLatest(handle.db);
  const pbs = createPbsClient({
    config,
    env: {},
    logger: silentLogger(),
    runner: emulatorRunner(),
  });
  const clock = new FakeClock(now(emu) * 1000);
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
      const own = (s.parse ?? 0) + (s.compare ?? 0) + (s.write ?? 0);
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
  clock.set(now(emu) * 1000);
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

  // growth: the daemon's schedule over GROWTH_HOURS, scaled to a day
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
  await handle.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
