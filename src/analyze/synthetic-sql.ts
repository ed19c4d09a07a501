/**
 * The bench's fast synthetic history: ONE `INSERT … SELECT` over a recursive CTE that counts
 * 1..n, every column computed in SQL from a seeded hash of the row number. Nothing crosses the
 * driver per row, so a million jobs take seconds instead of the minutes that JS-built batched
 * INSERTs take. The distributions follow makeJob() (skewed users, home project and queue,
 * exponential waits by queue, 10 % held, 8 % killed at walltime) but the rows are not the same
 * ones: tests that need the generated jobs back use generateJobs() instead.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { ensureServer, type SyntheticOptions } from './synthetic.js';
import { dialectOf } from '../store/dialect.js';

const P = 2147483647; // 2^31 − 1, a prime: squares below it fit in a signed 64-bit integer

/** Hash k of row n: an integer in [0, P), different for each k and seed. */
function h(k: number, seed: number): string {
  const a = 48271 + k * 2654435 + seed * 7919;
  const b = 12345 + k * 97 + seed;
  // x = n·a mod P, then squared mod P: nonlinear, so columns are not shifted copies of each other
  return `((((s.n * ${a}) % ${P}) * ((s.n * ${a}) % ${P}) + ${b}) % ${P})`;
}

/** Generates `o.jobs` jobs with one INSERT … SELECT; returns the server id and the row count. */
export async function generateJobsSql(
  db: Kysely<Database>,
  o: SyntheticOptions,
): Promise<{ serverId: number; jobs: number }> {
  const seed = o.seed ?? 42;
  const span = o.to - o.from;
  const serverId = await ensureServer(db, o.serverName ?? 'synth', o.from);
  const base = await db
    .selectFrom('jobs')
    .select(sql<number>`COALESCE(MAX(seq), 0)`.as('m'))
    .where('server_id', '=', serverId)
    .executeTakeFirstOrThrow();
  const off = Number(base.m);
  // layer a: raw hashes; b: user, queue; c: wait, sizes; d, e: start/end. a, c and e are
  // MATERIALIZED: inlined, every later reference would re-evaluate the whole chain (10× slower)
  // PostgreSQL counts with generate_series (set-returning, no recursion worktable); SQLite has
  // no generate_series in every build, so it counts with a recursive CTE
  const counter =
    dialectOf(db) === 'postgres'
      ? `s(n) AS (SELECT CAST(g AS BIGINT) FROM generate_series(1, ${o.jobs}) AS g)`
      : `s(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM s WHERE n < ${o.jobs})`;
  const q = sql.raw(`
    WITH RECURSIVE ${counter},
    a AS MATERIALIZED (
      SELECT s.n + ${off} AS seq,
        (${h(1, seed)} % 10000) * (${h(1, seed)} % 10000) * 50 / 100000000 AS uid,
        ${h(2, seed)} % 100 AS p_second, ${h(3, seed)} % 100 AS p_home, ${h(4, seed)} % 4 AS q_pick,
        ${o.from} + ${h(5, seed)} % ${span} AS submit,
        CASE WHEN ${h(6, seed)} % 100 < 10 THEN ${h(7, seed)} % 7200 ELSE 0 END AS held,
        CAST(${h(8, seed)} AS DOUBLE PRECISION) / ${P + 1} AS u_wait,
        ${h(9, seed)} % 10 AS n_pick, ${h(10, seed)} % 5 AS w_pick,
        ${h(11, seed)} % 100 < 8 AS killed, ${h(12, seed)} AS r_run,
        ${h(13, seed)} % 100 AS r_exit, ${h(14, seed)} % 100 AS r_cput,
        ${h(15, seed)} % 800 AS r_eff, ${h(16, seed)} % 100 AS r_qual
      FROM s),
    b AS (
      SELECT a.*, 'user' || CASE WHEN uid < 10 THEN '0' ELSE '' END || uid AS owner,
        'proj' || ((uid * 7 + CASE WHEN p_second < 80 THEN 0 ELSE 1 END) % 10) AS project,
        CASE WHEN p_home < 70 THEN uid % 4 ELSE q_pick END AS qi, submit + held AS eligible
      FROM a),
    c AS MATERIALIZED (
      SELECT b.*, CASE qi WHEN 0 THEN 'workq' WHEN 1 THEN 'debug' WHEN 2 THEN 'long' ELSE 'gpu' END AS queue,
        CAST(FLOOR(-LN(1 - u_wait) * CASE qi WHEN 1 THEN 300 WHEN 2 THEN 14400 ELSE 3600 END) AS BIGINT) AS wait,
        CASE WHEN qi = 1 THEN 1 ELSE CASE n_pick WHEN 3 THEN 2 WHEN 4 THEN 2 WHEN 5 THEN 4 WHEN 6 THEN 8
          WHEN 7 THEN 16 WHEN 8 THEN 32 WHEN 9 THEN 64 ELSE 1 END END AS nodes,
        CASE WHEN qi = 1 THEN 1800 ELSE CASE w_pick WHEN 0 THEN 1800 WHEN 1 THEN 3600 WHEN 2 THEN 14400
          WHEN 3 THEN 43200 ELSE 86400 END END AS wreq
      FROM b),
    d AS (
      SELECT c.*, eligible + wait AS st,
        eligible + wait + CASE WHEN killed THEN wreq + r_run % 60 ELSE 1 + r_run % wreq END AS en
      FROM c),
    e AS MATERIALIZED (
      SELECT d.*, CASE WHEN st < ${o.to} THEN st END AS start_time,
        CASE WHEN en < ${o.to} THEN en END AS end_time
      FROM d)
    INSERT INTO jobs (server_id, job_id, seq, name, owner, project, queue, state, is_array_parent,
      nodes, ncpus, ngpus, walltime_requested_s, select_text, place, submit_time, queue_time,
      eligible_time, start_time, end_time, end_time_estimated, last_modified, history_timestamp,
      exit_status, run_count, walltime_used_s, cput_used_s, final_state_recorded,
      lifecycle_quality, first_seen, last_seen)
    SELECT ${serverId}, seq || '.synth', seq, 'job' || seq, owner, project, queue,
      CASE WHEN start_time IS NULL THEN 'Q' WHEN end_time IS NULL THEN 'R' ELSE 'F' END, 0,
      nodes, nodes * 128, CASE WHEN qi = 3 THEN nodes * 4 ELSE 0 END, wreq,
      nodes || ':ncpus=128', 'scatter', submit, submit, eligible, start_time, end_time,
      CASE WHEN end_time IS NOT NULL AND r_qual = 4 THEN 1 ELSE 0 END,
      COALESCE(end_time, start_time, submit), end_time,
      CASE WHEN end_time IS NULL THEN NULL WHEN killed THEN -29 WHEN r_exit < 5 THEN 1
        WHEN r_exit < 7 THEN 271 ELSE 0 END,
      CASE WHEN start_time IS NULL THEN 0 ELSE 1 END,
      CASE WHEN end_time IS NULL THEN NULL WHEN en - st < wreq THEN en - st ELSE wreq END,
      CASE WHEN end_time IS NULL OR r_cput >= 80 THEN NULL
        ELSE (CASE WHEN en - st < wreq THEN en - st ELSE wreq END) * nodes * 128 * (200 + r_eff) / 1000 END,
      CASE WHEN end_time IS NOT NULL AND r_qual >= 5 THEN 1 ELSE 0 END,
      CASE WHEN end_time IS NULL OR r_qual >= 5 THEN 'complete' WHEN r_qual < 4 THEN 'partial'
        ELSE 'final_state_missed' END,
      submit, COALESCE(end_time, ${o.to})
    FROM e`);
  await db.transaction().execute(async (trx) => {
    // maintaining 8 indexes row by row in random key order costs most of the time: drop them
    // and rebuild each with one sort afterwards (same DDL, same transaction). PostgreSQL keeps
    // the indexes behind constraints (primary key, unique), which DROP INDEX cannot remove.
    const ddl = (
      dialectOf(db) === 'sqlite'
        ? await sql<{ name: string; sql: string }>`
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND tbl_name = 'jobs' AND sql IS NOT NULL`.execute(trx)
        : await sql<{ name: string; sql: string }>`
            SELECT i.relname AS name, pg_get_indexdef(i.oid) AS sql
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = to_regclass('jobs')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`.execute(trx)
    ).rows;
    for (const d of ddl) await sql`DROP INDEX ${sql.id(d.name)}`.execute(trx);
    await q.execute(trx);
    for (const d of ddl) await sql.raw(d.sql).execute(trx);
  });
  return { serverId, jobs: o.jobs };
}
