/** `database cleanup`: removes history older than the retention periods. */
import type { Deps } from '../../../deps.js';
import { cleanupHistory, type CleanupCounts } from '../../../store/maintenance/cleanup.js';
import { isoUtc } from '../../output/format-values.js';
import { confirmOrRefuse } from './confirm.js';
import { whereIs } from './where.js';

export interface CleanupOptions {
  jobHistoryDays?: number;
  snapshotDays?: number;
  dryRun?: boolean;
  yes?: boolean;
  /** write what goes to Parquet files in this folder before deleting */
  archive?: string;
}

const DAY = 86_400;

function table(counts: CleanupCounts): string {
  const w = Math.max(...Object.keys(counts).map((k) => k.length));
  return Object.entries(counts)
    .map(([t, n]) => `  ${t.padEnd(w)}  ${String(n).padStart(10)}\n`)
    .join('');
}

/** Prints what goes per table; deletes it unless --dry-run (asking first unless --yes). */
export async function run(opts: CleanupOptions, deps: Deps): Promise<void> {
  const { config } = await deps.config();
  const jobDays = opts.jobHistoryDays ?? config.retention.job_history_days;
  const snapDays = opts.snapshotDays ?? config.retention.snapshot_days;
  const now = deps.clock.now();
  const cut = { jobCutoff: now - jobDays * DAY, snapshotCutoff: now - snapDays * DAY };
  const h = await deps.dbHandle();
  const planned = await cleanupHistory(h.db, { ...cut, dryRun: true });
  const total = Object.values(planned).reduce((a, b) => a + b, 0);
  const head =
    `jobs that ended before ${isoUtc(cut.jobCutoff)} (${jobDays} days), ` +
    `snapshots before ${isoUtc(cut.snapshotCutoff)} (${snapDays} days)`;
  if (opts.dryRun || total === 0) {
    deps.io.write(
      `${total === 0 ? 'nothing to remove' : 'would remove'}: ${head}\n${table(planned)}`,
    );
    return;
  }
  deps.io.writeErr(`to remove from ${whereIs(h)}: ${head}\n${table(planned)}`);
  await confirmOrRefuse(deps, `Remove these ${total} rows?`, Boolean(opts.yes));
  if (opts.archive) {
    const { archiveForCleanup } = await import('./cleanup-archive.js');
    const files = await archiveForCleanup(h.db, cut, planned, opts.archive);
    for (const f of files) deps.io.writeErr(`archived ${f.rows} rows to ${f.file}\n`);
  }
  const done = await cleanupHistory(h.db, cut);
  deps.io.write(`removed: ${head}\n${table(done)}`);
}
