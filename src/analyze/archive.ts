/**
 * Retention with an archive: before `database cleanup` deletes old rows, they are written as
 * Parquet files per table and UTC month (`<dir>/<table>-YYYY-MM.parquet`), streamed in batches,
 * so old history stays readable by any dataframe tool.
 */
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import { exportBatches, SOURCES, type ExportKind, type ExportRow } from './export-source.js';
import { writeExport } from './export-writers.js';
import { num0 } from './sql-util.js';
import { UserError } from '../cli/errors.js';

/** The store tables that can be archived, with their export source and time column. */
export const ARCHIVABLE: Record<string, { kind: ExportKind; timeCol: string }> = {
  jobs: { kind: 'jobs', timeCol: 'submit_time' },
  job_history: { kind: 'transitions', timeCol: 'observed_at' },
  node_snapshots: { kind: 'nodes', timeCol: 'snapshot_time' },
  queue_snapshots: { kind: 'queues', timeCol: 'snapshot_time' },
  system_snapshots: { kind: 'system', timeCol: 'snapshot_time' },
};

export interface ArchivedFile {
  file: string;
  month: string;
  rows: number;
}

/**
 * Writes the rows of `table` matching `where` (a SQL condition over the table aliased `t`, the
 * same one the cleanup will delete with) to Parquet files per month in `dir`. Refuses to
 * overwrite an existing archive file. Returns the files written.
 */
export async function archiveBeforeDelete(
  db: Kysely<Database>,
  table: string,
  where: RawBuilder<unknown>,
  dir: string,
  batchSize = 10_000,
): Promise<ArchivedFile[]> {
  const a = ARCHIVABLE[table];
  if (!a)
    throw new UserError(
      `cannot archive table '${table}' (archivable: ${Object.keys(ARCHIVABLE).join(', ')})`,
    );
  await mkdir(dir, { recursive: true });
  const tcol = sql.ref(`t.${a.timeCol}`);
  const from = SOURCES[a.kind].from;
  const months = await sql<{ m: unknown }>`
    SELECT DISTINCT CAST(${tcol} / 86400 AS BIGINT) / 28 AS m FROM ${sql.raw(from)} WHERE ${where}`.execute(
    db,
  );
  // 28-day blocks narrow the month scan cheaply; exact months are taken from the dates below
  const monthSet = new Set<string>();
  let hasNull = false;
  for (const r of months.rows) {
    if (r.m === null) {
      hasNull = true;
      continue;
    }
    for (const d of [0, 27])
      monthSet.add(new Date((num0(r.m) * 28 + d) * 86400 * 1000).toISOString().slice(0, 7));
  }
  const out: ArchivedFile[] = [];
  const cols = SOURCES[a.kind].columns.map(([n, , t]) => [n, t] as [string, typeof t]);
  const plan = [...monthSet].sort().map((m) => {
    const [y, mo] = m.split('-').map(Number) as [number, number];
    const lo = Date.UTC(y, mo - 1, 1) / 1000;
    const hi = Date.UTC(y, mo, 1) / 1000;
    return { month: m, cond: sql`${where} AND ${tcol} >= ${lo} AND ${tcol} < ${hi}` };
  });
  if (hasNull) plan.push({ month: 'undated', cond: sql`${where} AND ${tcol} IS NULL` });
  for (const p of plan) {
    const file = join(dir, `${table}-${p.month}.parquet`);
    if (existsSync(file))
      throw new UserError(
        `archive file ${file} already exists; choose another --archive directory`,
      );
    const batches = exportBatches(db, a.kind, {}, batchSize, p.cond);
    // skip empty months without creating a file
    const first = await batches.next();
    if (first.done) continue;
    async function* all(): AsyncGenerator<Iterable<ExportRow>> {
      yield first.value as Iterable<ExportRow>;
      yield* batches;
    }
    const dictionary = SOURCES[a.kind].dictionary;
    const rows = await writeExport('parquet', file, cols, all(), batchSize, dictionary);
    out.push({ file, month: p.month, rows });
  }
  return out;
}
