/** Streams one source into a file, batch by batch; returns the row count. */
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import { exportBatches, SOURCES, type ExportFilter, type ExportKind } from './export-source.js';
import { writeExport, type ExportFormat } from './export-writers.js';

export interface ExportOptions {
  kind: ExportKind;
  format: ExportFormat;
  out: string;
  filter: ExportFilter;
  batchSize?: number;
  extraWhere?: RawBuilder<unknown>;
  onProgress?(rows: number): void;
}

/** Exports rows to `o.out` in constant memory. */
export async function exportRows(db: Kysely<Database>, o: ExportOptions): Promise<number> {
  const batch = o.batchSize ?? 10_000;
  const cols = SOURCES[o.kind].columns.map(
    ([name, , type]) => [name, type] as [string, typeof type],
  );
  let total = 0;
  async function* counted() {
    for await (const rows of exportBatches(db, o.kind, o.filter, batch, o.extraWhere)) {
      yield rows;
      total += rows.length;
      o.onProgress?.(total);
    }
  }
  return writeExport(o.format, o.out, cols, counted(), batch);
}
