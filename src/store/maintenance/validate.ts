/**
 * `database validate`: the schema matches the code, nothing is orphaned, and the invariants the
 * collector promises hold. Each problem is named with a count and a few examples.
 */
import { tmpdir } from 'node:os';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Config } from '../../config/schema.js';
import { silentLogger } from '../../util/logger.js';
import type { Database } from '../schema.js';
import { openDatabase } from '../db.js';
import { migrateToLatest, schemaStatus } from '../migrate.js';
import { OWN_TABLES } from '../tables.js';
import { uncoveredWindows, type UncoveredWindow } from './coverage.js';

export interface Problem {
  check: string;
  count: number;
  examples: string[];
}

export interface ValidationReport {
  /** every check that ran, in order */
  checks: string[];
  problems: Problem[];
  /** windows of finished jobs the collector may have missed (information, not a failure) */
  uncovered: UncoveredWindow[];
}

const EXAMPLES = 5;

/** Column names per table of a freshly migrated in-memory database: the schema the code expects. */
async function expectedColumns(config: Config): Promise<Map<string, Set<string>>> {
  const ref = await openDatabase({
    url: 'sqlite://:memory:',
    config,
    logger: silentLogger(),
    home: tmpdir(),
    requireCurrentSchema: false,
  });
  try {
    await migrateToLatest(ref.db);
    const tables = await ref.db.introspection.getTables();
    return new Map(tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
  } finally {
    await ref.close();
  }
}

interface Check {
  name: string;
  /** selects `ex` (a short description) for every offending row */
  rows: RawBuilder<{ ex: string }>;
}

function checks(): Check[] {
  const out: Check[] = [
    {
      name: 'job transitions whose job is missing',
      rows: sql`select 'transition ' || h.id || ' -> job row ' || h.job_row_id as ex
        from job_history h left join jobs j on j.id = h.job_row_id where j.id is null`,
    },
    {
      name: 'reservation transitions whose reservation is missing',
      rows: sql`select 'transition ' || h.id || ' -> reservation row ' || h.reservation_row_id as ex
        from reservation_history h left join reservations r on r.id = h.reservation_row_id
        where r.id is null`,
    },
    {
      name: 'job transitions out of time order',
      rows: sql`select 'job ' || j.job_id || ': ' || x.prev || ' then ' || x.observed_at as ex from (
          select job_row_id, observed_at,
            lag(observed_at) over (partition by job_row_id order by id) as prev
          from job_history) x
        join jobs j on j.id = x.job_row_id where x.prev > x.observed_at`,
    },
    {
      name: 'jobs that end before they start',
      rows: sql`select 'job ' || job_id || ': start ' || start_time || ', end ' || end_time as ex
        from jobs where end_time < start_time`,
    },
    {
      name: 'jobs that start before they were submitted',
      rows: sql`select 'job ' || job_id || ': submit ' || submit_time || ', start ' || start_time as ex
        from jobs where start_time < submit_time`,
    },
    {
      name: 'final state recorded for a job not in a final state',
      rows: sql`select 'job ' || job_id || ' in state ' || state as ex
        from jobs where final_state_recorded = 1 and state not in ('F', 'X')`,
    },
    {
      name: 'estimated end times outside their bounds',
      rows: sql`select 'job ' || job_id || ': ' || coalesce(end_time_min, 0) || ' <= ' || coalesce(end_time, 0) || ' <= ' || coalesce(end_time_max, 0) || ' fails' as ex
        from jobs where end_time_estimated = 1
          and (end_time is null or end_time < end_time_min or end_time > end_time_max)`,
    },
    {
      name: 'jobs with an unknown lifecycle quality',
      rows: sql`select 'job ' || job_id || ': ' || lifecycle_quality as ex from jobs
        where lifecycle_quality not in ('complete', 'partial', 'final_state_missed')`,
    },
  ];
  for (const t of OWN_TABLES) {
    if (t === 'servers') continue;
    out.push({
      name: `${t} rows whose server is missing`,
      rows: sql`select ${sql.lit(t)} || ' row with server_id ' || t.server_id as ex
        from ${sql.table(t)} t left join servers s on s.id = t.server_id
        where t.server_id is not null and s.id is null`,
    });
  }
  return out;
}

/** Runs every check; the config is only used to build the reference schema. */
export async function validateDatabase(
  db: Kysely<Database>,
  config: Config,
): Promise<ValidationReport> {
  const report: ValidationReport = { checks: [], problems: [], uncovered: [] };
  const status = await schemaStatus(db);
  report.checks.push('schema version');
  if (status.state !== 'current') {
    const detail =
      status.state === 'empty'
        ? 'no pbs-monitor schema (run `pbs-monitor database init`)'
        : status.state === 'older'
          ? `pending migrations ${status.pending.join(', ')} (run \`pbs-monitor database migrate\`)`
          : `unknown migrations ${status.unknown.join(', ')} (upgrade pbs-monitor)`;
    report.problems.push({ check: 'schema version', count: 1, examples: [detail] });
    return report;
  }
  report.checks.push('tables and columns');
  const want = await expectedColumns(config);
  const have = new Map(
    (await db.introspection.getTables()).map((t) => [
      t.name,
      new Set(t.columns.map((c) => c.name)),
    ]),
  );
  const missing: string[] = [];
  for (const [table, cols] of want) {
    const got = have.get(table);
    if (!got) missing.push(`table ${table}`);
    else for (const c of cols) if (!got.has(c)) missing.push(`column ${table}.${c}`);
  }
  if (missing.length > 0) {
    report.problems.push({
      check: 'tables and columns missing',
      count: missing.length,
      examples: missing.slice(0, EXAMPLES),
    });
    return report;
  }
  for (const c of checks()) {
    report.checks.push(c.name);
    const n = await sql<{ n: number | string }>`select count(*) as n from (${c.rows}) q`.execute(
      db,
    );
    const count = Number(n.rows[0]?.n ?? 0);
    if (count === 0) continue;
    const ex = await sql<{
      ex: string;
    }>`select ex from (${c.rows}) q limit ${sql.lit(EXAMPLES)}`.execute(db);
    report.problems.push({ check: c.name, count, examples: ex.rows.map((r) => String(r.ex)) });
  }
  report.checks.push('collection coverage');
  report.uncovered = await uncoveredWindows(db);
  return report;
}
