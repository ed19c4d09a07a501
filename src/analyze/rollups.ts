/**
 * Daily job rollups (per server, UTC day, queue, owner, project), maintained by the collection's
 * aggregate step so that year-long analyses read a few thousand rows instead of every job.
 * `refreshRollups` deletes and recomputes whole days from the jobs table, so it is idempotent
 * and late-arriving data is handled by recomputing the touched days.
 *
 * Definitions (the same ones the analyses use on the jobs table):
 * - submitted / started / finished: submit_time / start_time / end_time falls on the day;
 * - failed: finished with a non-null, non-zero exit status;
 * - node_seconds: COALESCE(nodes, 1) × (end − start) of jobs finished that day (end ≥ start);
 * - wait: start − queue_time of jobs started that day (queue_time known, start ≥ queue_time);
 * - walltime sums: of the jobs finished that day (requested / used, when known).
 * Array parents are never counted (their subjobs are).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, JobDailyRollupsTable } from '../store/schema.js';
import { DAY } from './window.js';
import { num0 } from './sql-util.js';
import { emptyHistogram, waitBucketSql } from './wait-buckets.js';

type Row = JobDailyRollupsTable & { hist: number[] };
type Key = { day: number; queue: string; owner: string; project: string };

const keyCols = sql`COALESCE(queue, '') AS queue, COALESCE(owner, '') AS owner, COALESCE(project, '') AS project`;
const groupCols = sql`COALESCE(queue, ''), COALESCE(owner, ''), COALESCE(project, '')`;
const dayOfCol = (c: string) => sql.raw(`(CAST(${c} / 86400 AS BIGINT) * 86400)`);

/** Recomputes the rollup rows of days fromDay..toDay (inclusive, UTC midnights) of one server. */
export async function refreshRollups(
  db: Kysely<Database>,
  serverId: number,
  fromDay: number,
  toDay: number,
): Promise<void> {
  const lo = Math.floor(fromDay / DAY) * DAY;
  const hi = Math.floor(toDay / DAY) * DAY + DAY;
  if (hi <= lo) return;
  const rows = await computeRollups(db, serverId, lo, hi);
  const write = async (trx: Kysely<Database>) => {
    await trx
      .deleteFrom('job_daily_rollups')
      .where('server_id', '=', serverId)
      .where('day', '>=', lo)
      .where('day', '<', hi)
      .execute();
    const values = rows.map(({ hist, ...r }) => ({ ...r, wait_hist: JSON.stringify(hist) }));
    for (let i = 0; i < values.length; i += 500) {
      await trx
        .insertInto('job_daily_rollups')
        .values(values.slice(i, i + 500))
        .execute();
    }
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}

/** Computes (without writing) the rollup rows of days in [lo, hi) for one server. */
export async function computeRollups(
  db: Kysely<Database>,
  serverId: number,
  lo: number,
  hi: number,
): Promise<Row[]> {
  const out = new Map<string, Row>();
  const get = (k: Key): Row => {
    const id = `${k.day}\u0000${k.queue}\u0000${k.owner}\u0000${k.project}`;
    let r = out.get(id);
    if (!r) {
      r = {
        server_id: serverId,
        day: k.day,
        queue: k.queue,
        owner: k.owner,
        project: k.project,
        jobs_submitted: 0,
        jobs_started: 0,
        jobs_finished: 0,
        jobs_failed: 0,
        node_seconds: 0,
        wait_sum_s: 0,
        wait_count: 0,
        wait_hist: '',
        walltime_req_sum_s: 0,
        walltime_used_sum_s: 0,
        hist: emptyHistogram(),
      };
      out.set(id, r);
    }
    return r;
  };
  const key = (r: Record<string, unknown>): Key => ({
    day: num0(r.day),
    queue: String(r.queue),
    owner: String(r.owner),
    project: String(r.project),
  });
  const base = (col: string) =>
    sql`server_id = ${serverId} AND is_array_parent = 0 AND ${sql.ref(col)} >= ${lo} AND ${sql.ref(col)} < ${hi}`;

  const submitted = await sql<Record<string, unknown>>`
    SELECT ${dayOfCol('submit_time')} AS day, ${keyCols}, COUNT(*) AS n
    FROM jobs WHERE ${base('submit_time')}
    GROUP BY ${dayOfCol('submit_time')}, ${groupCols}`.execute(db);
  for (const r of submitted.rows) get(key(r)).jobs_submitted = num0(r.n);

  const started = await sql<Record<string, unknown>>`
    SELECT ${dayOfCol('start_time')} AS day, ${keyCols}, COUNT(*) AS n
    FROM jobs WHERE ${base('start_time')}
    GROUP BY ${dayOfCol('start_time')}, ${groupCols}`.execute(db);
  for (const r of started.rows) get(key(r)).jobs_started = num0(r.n);

  const bucket = sql.raw(waitBucketSql('(start_time - queue_time)'));
  const waits = await sql<Record<string, unknown>>`
    SELECT ${dayOfCol('start_time')} AS day, ${keyCols}, ${bucket} AS b,
      COUNT(*) AS n, SUM(start_time - queue_time) AS s
    FROM jobs WHERE ${base('start_time')} AND queue_time IS NOT NULL AND start_time >= queue_time
    GROUP BY ${dayOfCol('start_time')}, ${groupCols}, ${bucket}`.execute(db);
  for (const r of waits.rows) {
    const row = get(key(r));
    const n = num0(r.n);
    row.wait_count += n;
    row.wait_sum_s += num0(r.s);
    row.hist[num0(r.b)] = (row.hist[num0(r.b)] ?? 0) + n;
  }

  const finished = await sql<Record<string, unknown>>`
    SELECT ${dayOfCol('end_time')} AS day, ${keyCols}, COUNT(*) AS n,
      SUM(CASE WHEN exit_status IS NOT NULL AND exit_status <> 0 THEN 1 ELSE 0 END) AS failed,
      SUM(CASE WHEN start_time IS NOT NULL AND end_time >= start_time
          THEN COALESCE(nodes, 1) * (end_time - start_time) ELSE 0 END) AS node_s,
      SUM(COALESCE(walltime_requested_s, 0)) AS wreq,
      SUM(COALESCE(walltime_used_s, 0)) AS wused
    FROM jobs WHERE ${base('end_time')}
    GROUP BY ${dayOfCol('end_time')}, ${groupCols}`.execute(db);
  for (const r of finished.rows) {
    const row = get(key(r));
    row.jobs_finished = num0(r.n);
    row.jobs_failed = num0(r.failed);
    row.node_seconds = num0(r.node_s);
    row.walltime_req_sum_s = num0(r.wreq);
    row.walltime_used_sum_s = num0(r.wused);
  }
  const rows = [...out.values()];
  for (const r of rows) r.wait_hist = JSON.stringify(r.hist);
  return rows.sort((a, b) =>
    a.day !== b.day
      ? a.day - b.day
      : `${a.queue}\u0000${a.owner}\u0000${a.project}` <
          `${b.queue}\u0000${b.owner}\u0000${b.project}`
        ? -1
        : 1,
  );
}
