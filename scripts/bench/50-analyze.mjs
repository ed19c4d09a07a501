// Analytics over a 1,000,000-job history (SQLite; PostgreSQL too when PBS_MONITOR_BENCH_PG_URL or
// PBS_MONITOR_TEST_PG_URL is set, in a fresh schema dropped afterwards): generation, rollups, a
// user's 30-day history, wait-times and usage over a year, and a streaming Parquet export of
// every job (in a child process, so its peak RSS is its own). BENCH_JOBS=n changes the size;
// BENCH_DB=path keeps / reuses the generated SQLite file.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { best, mb, row } from './_util.mjs';

const dist = resolve(process.env.BENCH_DIST ?? 'dist');
const base = dist;
const { openDatabase } = await import(join(base, 'store/db.js'));
const { migrateToLatest } = await import(join(base, 'store/migrate.js'));
const { defaultConfig } = await import(join(base, 'config/schema.js'));
const { silentLogger } = await import(join(base, 'util/logger.js'));
// the million jobs come from ONE `INSERT … SELECT` over a recursive CTE whose columns are a seeded
// hash of the row number (synthetic-sql.ts): seconds, where 700-row INSERTs built in JS took minutes
const { generateJobsSql } = await import(join(base, 'analyze/synthetic-sql.js'));
const { refreshRollups } = await import(join(base, 'analyze/rollups.js'));
const { waitTimes } = await import(join(base, 'analyze/wait-times.js'));
const { usage } = await import(join(base, 'analyze/usage.js'));

const JOBS = Number(process.env.BENCH_JOBS ?? 1_000_000);
const DAY = 86400;
const NOW = Date.UTC(2026, 10, 1) / 1000;
const FROM = NOW - 366 * DAY;

// a million-row INSERT … SELECT on a loaded machine can outlast the default 120 s
const config = defaultConfig();
config.database.statement_timeout = 1800;

async function open(url) {
  const h = await openDatabase({
    url,
    config,
    logger: silentLogger(),
    home: tmpdir(),
    create: true,
    requireCurrentSchema: false,
  });
  await migrateToLatest(h.db);
  return h;
}

async function section(label, url, fresh) {
  const h = await open(url);
  const db = h.db;
  let serverId;
  if (fresh) {
    const t = performance.now();
    // one INSERT … SELECT over a recursive CTE, columns from a seeded hash of the row number
    const g = await generateJobsSql(db, { jobs: JOBS, from: FROM, to: NOW, seed: 1 });
    serverId = g.serverId;
    row(
      `${label}: generate ${JOBS.toLocaleString('en-US')} jobs (one INSERT … SELECT, SQL hash)`,
      `${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const r = performance.now();
    await refreshRollups(db, serverId, FROM, NOW);
    row(
      `${label}: refreshRollups, 366 days from scratch`,
      `${((performance.now() - r) / 1000).toFixed(1)} s`,
    );
    const one = await best(() => refreshRollups(db, serverId, NOW - DAY, NOW - DAY), 3);
    row(`${label}: refreshRollups, one day (collector's aggregate step)`, `${one.toFixed(0)} ms`);
  } else {
    serverId = Number((await db.selectFrom('servers').select('id').executeTakeFirstOrThrow()).id);
  }
  const user = 'user07';
  const hist = await best(async () => {
    await db
      .selectFrom('jobs')
      .select([
        'job_id',
        'name',
        'queue',
        'state',
        'submit_time',
        'start_time',
        'end_time',
        'exit_status',
      ])
      .where('owner', '=', user)
      .where('end_time', '>=', NOW - 30 * DAY)
      .orderBy('end_time', 'desc')
      .execute();
  }, 5);
  row(`${label}: history of one user, 30 days`, `${hist.toFixed(1)} ms`, '≤ 100 ms');
  const f = { from: NOW - 365 * DAY, to: NOW };
  const w = await best(() => waitTimes(db, { filter: f, basis: 'eligible', by: 'queue' }), 3);
  row(
    `${label}: analyze wait-times --days 365 (approx histogram; SQLite: chunked one-pass scan)`,
    `${w.toFixed(0)} ms`,
    '≤ 2 s',
  );
  const wq = await best(() => waitTimes(db, { filter: f, basis: 'queued', by: 'queue' }), 3);
  row(
    `${label}: analyze wait-times --days 365 --basis queued (rollups)`,
    `${wq.toFixed(0)} ms`,
    '≤ 2 s',
  );
  const we = await best(
    () => waitTimes(db, { filter: f, basis: 'eligible', by: 'queue', method: 'exact' }),
    1,
  );
  row(`${label}: analyze wait-times --days 365 --exact (all waits loaded)`, `${we.toFixed(0)} ms`);
  const u = await best(() => usage(db, { filter: f, by: 'user' }), 3);
  row(`${label}: analyze usage --days 365 (rollups)`, `${u.toFixed(0)} ms`, '≤ 2 s');
  const ue = await best(() => usage(db, { filter: f, by: 'user', method: 'exact' }), 1);
  row(`${label}: analyze usage --days 365 --exact (jobs table)`, `${ue.toFixed(0)} ms`);
  await h.close();
  // export in a child process: its own peak RSS; once as is, once with the V8 heap capped the
  // way the lead's re-exec would (the export's live data is a few MB; an uncapped V8 lets the
  // heap grow to hundreds of MB before collecting)
  const out = join(mkdtempSync(join(tmpdir(), 'bench-export-')), 'jobs.parquet');
  const code = `
    const { openDatabase } = await import(${JSON.stringify(join(base, 'store/db.js'))});
    const { defaultConfig } = await import(${JSON.stringify(join(base, 'config/schema.js'))});
    const { silentLogger } = await import(${JSON.stringify(join(base, 'util/logger.js'))});
    const { exportRows } = await import(${JSON.stringify(join(base, 'analyze/export.js'))});
    const h = await openDatabase({ url: ${JSON.stringify(url)}, config: defaultConfig(), logger: silentLogger(), home: '/tmp', requireCurrentSchema: false });
    const t = performance.now();
    const c = process.cpuUsage();
    const n = await exportRows(h.db, { kind: 'jobs', format: 'parquet', out: ${JSON.stringify(out)}, filter: {}, sqlitePath: h.sqlitePath });
    const ms = performance.now() - t;
    const u = process.cpuUsage(c);
    await h.close();
    console.log(JSON.stringify({ n, ms, cpu: (u.user + u.system) / 1e6, rss: process.resourceUsage().maxRSS * 1024 }));`;
  for (const [how, flags] of [
    ['', []],
    [
      ' (--max-old-space-size=96 --max-semi-space-size=4)',
      ['--max-old-space-size=96', '--max-semi-space-size=4'],
    ],
  ]) {
    const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', code], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const res = JSON.parse(r.stdout.trim().split('\n').pop());
    row(
      `${label}: export jobs --format parquet (${res.n.toLocaleString('en-US')} rows)${how}`,
      `${(res.ms / 1000).toFixed(1)} s`,
      '≤ 15 s',
    );
    row(`${label}: export jobs --format parquet, CPU time${how}`, `${res.cpu.toFixed(1)} s`);
    row(`${label}: export jobs --format parquet, peak RSS${how}`, mb(res.rss), '≤ 300 MB');
    row(`${label}: load average during the export${how}`, loadavg());
  }
  row(`${label}: parquet file size`, mb(statSync(out).size));
  rmSync(out, { force: true });
}

function loadavg() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Runs the section in a fresh PostgreSQL schema (search_path in the URL), dropped afterwards. */
async function postgresSection(url) {
  const { default: pg } = await import('pg');
  const schema = `pbsmon_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const u = new URL(url);
    u.searchParams.set('options', `-c search_path=${schema}`);
    await section('postgres', u.toString(), true);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

const keep = process.env.BENCH_DB;
const dir = keep ? null : mkdtempSync(join(tmpdir(), 'bench-analyze-'));
const file = keep ?? join(dir, 'history.db');
const fresh = !existsSync(file);
if (!process.env.BENCH_SKIP_SQLITE) await section('sqlite', `sqlite:///${file}`, fresh);
if (dir) rmSync(dir, { recursive: true, force: true });
const pgUrl = process.env.PBS_MONITOR_BENCH_PG_URL ?? process.env.PBS_MONITOR_TEST_PG_URL;
if (pgUrl) await postgresSection(pgUrl);
