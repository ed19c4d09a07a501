/**
 * `database cleanup --archive DIR`: before deleting, writes the rows retention removes as Parquet
 * (per table and month), with the same conditions the cleanup deletes with.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../store/schema.js';
import { nodeCuts, type CleanupCounts } from '../../../store/maintenance/cleanup.js';
import type { ArchivedFile } from '../../../analyze/archive.js';

export interface Cutoffs {
  jobCutoff: number;
  snapshotCutoff: number;
}

/** The archivable tables' delete conditions, over the table aliased `t` (cf. cleanup rules). */
async function conditions(
  db: Kysely<Database>,
  c: Cutoffs,
): Promise<Record<string, RawBuilder<unknown>>> {
  const cuts = await nodeCuts(db, c.snapshotCutoff);
  const nodeCond =
    cuts.length === 0
      ? sql`1 = 0`
      : sql.join(
          cuts.map(([sid, k]) => sql`(t.server_id = ${sid} AND t.snapshot_time < ${k})`),
          sql` OR `,
        );
  return {
    jobs: sql`t.end_time < ${c.jobCutoff}`,
    job_history: sql`t.job_row_id IN (SELECT id FROM jobs WHERE end_time < ${c.jobCutoff})`,
    node_snapshots: sql`(${nodeCond})`,
    queue_snapshots: sql`t.snapshot_time < ${c.snapshotCutoff}`,
    system_snapshots: sql`t.snapshot_time < ${c.snapshotCutoff}`,
  };
}

/** Archives every archivable table that has rows to remove; returns the files written. */
export async function archiveForCleanup(
  db: Kysely<Database>,
  cut: Cutoffs,
  planned: CleanupCounts,
  dir: string,
): Promise<ArchivedFile[]> {
  const { archiveBeforeDelete } = await import('../../../analyze/archive.js');
  const files: ArchivedFile[] = [];
  for (const [table, where] of Object.entries(await conditions(db, cut))) {
    if ((planned[table as keyof CleanupCounts] ?? 0) === 0) continue;
    files.push(...(await archiveBeforeDelete(db, table, where, dir)));
  }
  return files;
}
