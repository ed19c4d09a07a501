/** `export <what>`: stream a history table to CSV, JSON lines or Parquet in constant memory. */
import type { Deps } from '../../../deps.js';
import {
  EXPORT_KINDS,
  type ExportFilter,
  type ExportKind,
} from '../../../analyze/export-source.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../../analyze/export-writers.js';
import { resolveWindow, type FilterFlags } from '../../../analyze/window.js';
import { UsageError } from '../../errors.js';

export interface ExportFlags extends FilterFlags {
  format: string;
  out?: string;
  batchSize?: string;
}

export async function run(what: string, flags: ExportFlags, deps: Deps): Promise<void> {
  if (!(EXPORT_KINDS as string[]).includes(what)) {
    throw new UsageError(`export: unknown table '${what}' (use ${EXPORT_KINDS.join(', ')})`);
  }
  if (!(EXPORT_FORMATS as string[]).includes(flags.format)) {
    throw new UsageError(
      `--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${flags.format}'`,
    );
  }
  if (!flags.out) throw new UsageError('export needs --out FILE');
  const filter: ExportFilter = {};
  // no window flags: every row
  if (flags.days !== undefined || flags.since !== undefined || flags.until !== undefined) {
    Object.assign(filter, resolveWindow(flags, deps.clock.now()));
  }
  for (const k of ['user', 'project', 'queue', 'server'] as const)
    if (flags[k]) filter[k] = flags[k];
  const batchSize = flags.batchSize ? Number(flags.batchSize) : 10_000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new UsageError('--batch-size must be a whole number ≥ 1');
  const handle = await deps.dbHandle();
  const { exportRows } = await import('../../../analyze/export.js');
  const tty = deps.io.isStderrTTY;
  const n = await exportRows(handle.db, {
    kind: what as ExportKind,
    format: flags.format as ExportFormat,
    out: flags.out,
    filter,
    batchSize,
    sqlitePath: handle.sqlitePath,
    onProgress: tty
      ? (rows) => deps.io.writeErr(`\r${rows.toLocaleString('en-US')} rows…`)
      : undefined,
  });
  if (tty) deps.io.writeErr('\r');
  if (!deps.globals.quiet)
    deps.io.writeErr(`exported ${n} ${what} rows to ${flags.out} (${flags.format})\n`);
}
