// History store: batch upserts of an Aurora-scale collection (10,000 jobs with ~2 KB gzip raw
// attributes, 10,624 node rows), bytes per stored job, and one day of sparse node history.
// SQLite always; PostgreSQL when PBS_MONITOR_TEST_PG_URL or `--pg URL` is given.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { mb, peakRss, row } from './_util.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = (p) => import(join(ROOT, 'dist', p));
const { openDatabase } = await dist('store/db.js');
const { migrateToLatest } = await dist('store/migrate.js');
const { upsertBatch, insertBatch, insertBatchReturning } = await dist('store/batch.js');
const { updateBatch } = await dist('store/batch-update.js');
const { writeTransaction } = await dist('store/transaction.js');
const { dropUnchangedIndexed } = await dist('collect/job-compare.js');
const { upsertJobs } = await dist('store/repos/jobs.js');
const { getOrCreateServer } = await dist('store/repos/servers.js');
const { packRaw } = await dist('store/raw-attrs.js');
const { nodeStatesAt } = await dist('store/node-history.js');
const { defaultConfig } = await dist('config/schema.js');
const { silentLogger } = await dist('util/logger.js');

const NJOBS = 10_000;
const NNODES = 10_624;
const T0 = 1_764_000_000;
const argPg = process.argv.indexOf('--pg');
const PG_URL = argPg > 0 ? process.argv[argPg + 1] : process.env.PBS_MONITOR_TEST_PG_URL;

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const nodeName = (i) => `x${4000 + Math.floor(i / 64)}c${Math.floor(i / 8) % 8}s${i % 8}b0n0`;

/** A raw attribute map like qstat -f's, whose gzip is about 2 KB. */
function rawAttrs(i, nodes) {
  const hosts = Array.from({ length: nodes }, (_, k) => `${nodeName((i * 7 + k) % NNODES)}/0*104`);
  return {
    Job_Name: `run_${hex(6)}`,
    Job_Owner: `user${i % 400}@aurora-uan-0013`,
    job_state: 'R',
    queue: 'prod',
    server: 'aurora-pbs-0001',
    exec_host: hosts.join('+'),
    exec_vnode: hosts.map((h) => `(${h.replace('/0*104', '')}:ncpus=104:ngpus=6)`).join('+'),
    Resource_List: {
      select: `${nodes}:system=aurora`,
      walltime: '06:00:00',
      nodect: String(nodes),
    },
    Variable_List: Object.fromEntries(
      Array.from({ length: 72 }, (_, k) => [
        `PBS_O_VAR${k}`,
        `/lus/flare/projects/p${i % 90}/${hex(24)}`,
      ]),
    ),
    comment: `Job run at ${new Date((T0 + i) * 1000).toUTCString()} on (${hosts[0]})`,
  };
}

function jobs(sid, t) {
  const out = [];
  let rawBytes = 0;
  for (let i = 0; i < NJOBS; i++) {
    const nodes = 1 + (i % 16);
    const raw = packRaw(rawAttrs(i, nodes));
    rawBytes += raw.byteLength;
    out.push({
      server_id: sid,
      job_id: `${1_000_000 + i}.aurora-pbs-0001`,
      seq: 1_000_000 + i,
      name: `run_${i}`,
      owner: `user${i % 400}`,
      project: `proj${i % 90}`,
      queue: i % 10 === 0 ? 'debug' : 'prod',
      state: i % 3 === 0 ? 'Q' : 'R',
      substate: 42,
      is_array_parent: 0,
      array_parent_id: null,
      array_index: null,
      nodes,
      ncpus: nodes * 104,
      ngpus: nodes * 6,
      mem_bytes: null,
      walltime_requested_s: 21_600,
      select_text: `${nodes}:system=aurora`,
      place: 'scatter',
      submit_time: T0 - 3600 - i,
      queue_time: T0 - 3600 - i,
      eligible_time: T0 - 3600 - i,
      start_time: i % 3 === 0 ? null : T0 - i,
      end_time: null,
      end_time_estimated: 0,
      end_time_min: null,
      end_time_max: null,
      last_modified: t,
      history_timestamp: null,
      exit_status: null,
      run_count: 1,
      exec_hosts: null,
      walltime_used_s: i % 3 === 0 ? null : 600,
      cput_used_s: null,
      mem_used_bytes: null,
      comment: null,
      final_state_recorded: 0,
      lifecycle_quality: 'complete',
      first_seen: t,
      last_seen: t,
      raw_attrs: raw,
      raw_hash: hex(16),
    });
  }
  return { rows: out, rawBytes };
}

function nodeRow(sid, t, i, states, keyframe) {
  return {
    server_id: sid,
    snapshot_time: t,
    node: nodeName(i),
    states,
    ncpus: 208,
    ncpus_assigned: states === 'job-busy' ? 208 : 0,
    ngpus: 6,
    ngpus_assigned: states === 'job-busy' ? 6 : 0,
    mem_bytes: 1_099_511_627_776,
    mem_assigned_bytes: 0,
    jobs: states === 'job-busy' ? `${1_000_000 + (i % NJOBS)}.aurora-pbs-0001` : null,
    queue: null,
    comment: states === 'down' ? 'node down: communication closed' : null,
    resv: null,
    is_keyframe: keyframe ? 1 : 0,
  };
}

async function freshPg(name) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function open(dialect, tag) {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pbsmon-bench-'));
    const path = join(dir, 'h.db');
    const h = await openDatabase({
      url: `sqlite:///${path}`,
      config: defaultConfig(),
      logger: silentLogger(),
      home: dir,
      create: true,
      requireCurrentSchema: false,
    });
    await migrateToLatest(h.db);
    return { h, path, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await freshPg(`pbsmon_bench_${tag}_${process.pid}`);
  const h = await openDatabase({
    url: db.url,
    config: defaultConfig(),
    logger: silentLogger(),
    home: tmpdir(),
    requireCurrentSchema: false,
  });
  await migrateToLatest(h.db);
  return { h, path: null, drop: db.drop };
}

const { sql } = await import('kysely');
/** Bytes of a table with its indexes: dbstat on SQLite, pg_total_relation_size on PostgreSQL. */
async function tableBytes(d, table) {
  if (d.path) {
    await sql`pragma wal_checkpoint(truncate)`.execute(d.h.db);
    const r = await sql`select sum(pgsize) as n from dbstat
      where name in (select name from sqlite_master where tbl_name = ${table})`.execute(d.h.db);
    return Number(r.rows[0]?.n ?? 0);
  }
  await sql`vacuum analyze ${sql.table(table)}`.execute(d.h.db);
  const r = await sql`select pg_total_relation_size(${table}::regclass) as n`.execute(d.h.db);
  return Number(r.rows[0].n);
}

const REPS = 3;

/** Wall and this process's CPU time (user + system) of one call. */
async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { result, ms, cpuMs: (c.user + c.system) / 1000 };
}

const rate = (n, ms) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} rows/s`;

/**
 * Best of REPS on an emptied table: inserting 10,000 new jobs, then updating all of them; wall
 * time, and this process's CPU time (on a loaded machine the steadier figure; PostgreSQL's own
 * CPU is in its server, so its per-CPU-second figure is only the client's share).
 */
async function jobWrites(d, label, aim, w) {
  const best = { ins: [Infinity, Infinity], upd: [Infinity, Infinity] };
  for (let rep = 0; rep < REPS; rep++) {
    // PostgreSQL: truncate, so dead tuples do not inflate the bytes per job measured later
    if (d.path) await sql`delete from jobs`.execute(d.h.db);
    else await sql`truncate table jobs restart identity cascade`.execute(d.h.db);
    globalThis.gc?.();
    const ins = await timed(w.insert);
    if (w.inserted(ins.result) !== NJOBS)
      throw new Error(`${label}: inserted ${w.inserted(ins.result)}`);
    // the rows to write are made before the clock starts, as the planner makes them before writing
    const todo = w.prepare ? w.prepare(ins.result) : ins.result;
    const upd = await timed(() => w.update(todo));
    if (upd.result !== NJOBS) throw new Error(`${label}: updated ${upd.result}`);
    best.ins = [Math.min(best.ins[0], ins.ms), Math.min(best.ins[1], ins.cpuMs)];
    best.upd = [Math.min(best.upd[0], upd.ms), Math.min(best.upd[1], upd.cpuMs)];
  }
  row(`${label}: ${NJOBS} new jobs, wall (best of ${REPS})`, rate(NJOBS, best.ins[0]), aim);
  row(`${label}: ${NJOBS} new jobs, per CPU-second`, rate(NJOBS, best.ins[1]));
  row(`${label}: ${NJOBS} known jobs updated, wall`, rate(NJOBS, best.upd[0]), aim);
  row(`${label}: ${NJOBS} known jobs updated, per CPU-second`, rate(NJOBS, best.upd[1]));
}

async function section(dialect) {
  console.log(`-- ${dialect}`);
  const d = await open(dialect, 'a');
  try {
    const sid = await getOrCreateServer(d.h.db, 'aurora-pbs-0001', T0);
    const { rows, rawBytes } = jobs(sid, T0);
    row(`${dialect}: mean gzip raw_attrs per job`, `${Math.round(rawBytes / NJOBS)} B`, '~2 KB');
    const again = rows.map((r) => ({ ...r, state: 'R', last_seen: T0 + 900 }));
    // What a collection writes: new jobs inserted with their ids returned, then known jobs
    // updated by id with every column a new observation replaces, less the indexed ones it
    // repeats, as the collector's planner leaves them out (a third start running, all are seen)
    const changed = (ids) => {
      const idOf = new Map(ids.map((r) => [r.job_id, Number(r.id)]));
      return again.map(({ job_id, server_id: _s, first_seen: _f, ...set }, i) => {
        const was = rows[i];
        dropUnchangedIndexed(set, {
          owner: was.owner,
          project: was.project,
          queue: was.queue,
          state: was.state,
          submitTime: was.submit_time,
          startTime: was.start_time,
          endTime: was.end_time,
        });
        return { id: idOf.get(job_id), set };
      });
    };
    const aim = dialect === 'sqlite' ? '≥ 50,000 rows/s' : '';
    await jobWrites(d, `${dialect}: collector`, aim, {
      insert: () =>
        insertBatchReturning(d.h.db, 'jobs', rows, ['id', 'job_id'], {
          columns: Object.keys(rows[0]),
        }),
      inserted: (r) => r.length,
      prepare: changed,
      update: (ups) =>
        writeTransaction(d.h.db, (trx) => updateBatch(trx, 'jobs', ups)).then(() => ups.length),
    });
    // the repositories' generic upsert (insert … on conflict do update), used outside collection
    await jobWrites(d, `${dialect}: upsertJobs`, '', {
      insert: () => upsertJobs(d.h.db, rows),
      inserted: (r) => r.inserted,
      update: () => upsertJobs(d.h.db, again).then((r) => r.updated),
    });
    if (d.path) {
      await sql`pragma wal_checkpoint(truncate)`.execute(d.h.db);
      row(
        `${dialect}: bytes per stored job (file size / jobs)`,
        `${Math.round(statSync(d.path).size / NJOBS)} B`,
      );
    }
    row(
      `${dialect}: bytes per stored job (jobs table + indexes)`,
      `${Math.round((await tableBytes(d, 'jobs')) / NJOBS)} B`,
    );
    const nodes = Array.from({ length: NNODES }, (_, i) =>
      nodeRow(sid, T0, i, i % 5 ? 'job-busy' : 'free', true),
    );
    const ns = await timed(() => insertBatch(d.h.db, 'node_snapshots', nodes));
    row(
      `${dialect}: insert ${NNODES} node rows, wall`,
      rate(NNODES, ns.ms),
      dialect === 'sqlite' ? '≥ 50,000 rows/s' : '',
    );
    row(`${dialect}: insert ${NNODES} node rows, per CPU-second`, rate(NNODES, ns.cpuMs));
    const nodeState = nodes.map((n) => ({
      server_id: sid,
      key: `node:${n.node}`,
      value: n.states,
      updated_at: T0,
    }));
    const t = performance.now();
    await upsertBatch(
      d.h.db,
      'collector_state',
      nodeState,
      ['server_id', 'key'],
      ['value', 'updated_at'],
    );
    row(`${dialect}: upsert ${NNODES} key/value rows`, rate(NNODES, performance.now() - t));
    if (d.path) {
      await sql`pragma wal_checkpoint(truncate)`.execute(d.h.db);
      row(
        `${dialect}: database file after jobs + 1 node keyframe`,
        `${(statSync(d.path).size / 1048576).toFixed(1)} MB`,
      );
    }
  } finally {
    await d.h.close();
    await d.drop();
  }

  // one day of node history: a keyframe, then 2 % of the nodes changing every 30 minutes
  const n = await open(dialect, 'b');
  try {
    const sid = await getOrCreateServer(n.h.db, 'aurora-pbs-0001', T0);
    const empty = await tableBytes(n, 'node_snapshots');
    const r = rng(7);
    const state = Array.from({ length: NNODES }, (_, i) => (i % 5 ? 'job-busy' : 'free'));
    await insertBatch(
      n.h.db,
      'node_snapshots',
      state.map((s, i) => nodeRow(sid, T0, i, s, true)),
    );
    let changes = 0;
    for (let b = 1; b <= 48; b++) {
      const batch = [];
      const seen = new Set();
      while (batch.length < Math.round(NNODES * 0.02)) {
        const i = Math.floor(r() * NNODES);
        if (seen.has(i)) continue;
        seen.add(i);
        state[i] = state[i] === 'job-busy' ? (r() < 0.1 ? 'down' : 'free') : 'job-busy';
        batch.push(nodeRow(sid, T0 + b * 1800, i, state[i], false));
      }
      changes += batch.length;
      await insertBatch(n.h.db, 'node_snapshots', batch);
    }
    const day = (await tableBytes(n, 'node_snapshots')) - empty;
    row(
      `${dialect}: one day of node history (${NNODES} nodes, 1 keyframe + ${changes} changes)`,
      `${(day / 1048576).toFixed(2)} MB`,
    );
    const t = performance.now();
    const at = await nodeStatesAt(n.h.db, sid, T0 + 86_399);
    row(
      `${dialect}: nodeStatesAt end of day (${at.length} nodes)`,
      `${Math.round(performance.now() - t)} ms`,
    );
    if (at.length !== NNODES) throw new Error('reconstruction lost nodes');
  } finally {
    await n.h.close();
    await n.drop();
  }
}

row('load average (1 min) while measuring', loadavg()[0].toFixed(1));
await section('sqlite');
if (PG_URL) await section('postgres');
else console.log('(PostgreSQL skipped: set PBS_MONITOR_TEST_PG_URL or pass --pg URL)');
row('load average (1 min) at the end', loadavg()[0].toFixed(1));
row('peak RSS', mb(peakRss()));
