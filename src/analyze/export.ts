/**
 * Streams one source into a file, chunk by chunk; returns the row count. On SQLite the rows are
 * read raw from the file (export-sqlite-rows.ts), and for Parquet in a reader thread while this
 * one encodes (export-sqlite-thread.ts); otherwise through Kysely.
 */
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import {
  chunkQuery,
  exportBatches,
  SOURCES,
  type ExportFilter,
  type ExportKind,
} from './export-source.js';
import type { ExportRow } from './export-columns.js';
import { writeExport, type ExportFormat } from './export-writers.js';
import { openSqliteRowReader, type RowReader } from './export-sqlite-rows.js';
import { readerThreadAvailable, readerThreadGroups } from './export-sqlite-thread.js';
import { PARQUET_GROUP_ROWS, writeParquetGroups } from './parquet-writer.js';

export interface ExportOptions {
  kind: ExportKind;
  format: ExportFormat;
  out: string;
  filter: ExportFilter;
  batchSize?: number;
  extraWhere?: RawBuilder<unknown>;
  /** the SQLite file behind `db` (DatabaseHandle.sqlitePath): rows are then read from it raw */
  sqlitePath?: string | null;
  onProgress?(rows: number): void;
}

/** Exports rows to `o.out` in constant memory. */
export async function exportRows(db: Kysely<Database>, o: ExportOptions): Promise<number> {
  const batch = o.batchSize ?? 10_000;
  const src = SOURCES[o.kind];
  const cols = src.columns.map(([name, , type]) => [name, type] as [string, typeof type]);
  const reader: RowReader | undefined =
    (o.sqlitePath && openSqliteRowReader(o.sqlitePath)) || undefined;
  if (reader && o.format === 'parquet' && readerThreadAvailable()) {
    reader.close();
    return parquetInThread(db, o, o.sqlitePath!, batch);
  }
  try {
    const chunks = exportBatches(db, o.kind, o.filter, batch, o.extraWhere, reader);
    const rows = o.onProgress ? counted(chunks, o.onProgress) : chunks;
    return await writeExport(o.format, o.out, cols, rows, batch, src.dictionary);
  } finally {
    reader?.close();
  }
}

/** Reports the running row count after every chunk. */
async function* counted(
  chunks: AsyncIterable<Iterable<ExportRow>>,
  onProgress: (rows: number) => void,
): AsyncGenerator<Iterable<ExportRow>> {
  let total = 0;
  for await (const chunk of chunks) {
    yield (function* () {
      for (const r of chunk) {
        total++;
        yield r;
      }
      onProgress(total);
    })();
  }
}

/** SQLite → Parquet with the reading and the Arrow work in a reader thread. */
async function parquetInThread(
  db: Kysely<Database>,
  o: ExportOptions,
  path: string,
  batchSize: number,
): Promise<number> {
  const src = SOURCES[o.kind];
  const q = chunkQuery(db, o.kind, o.filter, batchSize, o.extraWhere, 'raw')(-1).compile(db);
  const groupRows = Math.max(batchSize, PARQUET_GROUP_ROWS);
  const groups = readerThreadGroups({
    path,
    sql: q.sql,
    parameters: [...q.parameters],
    lastAt: q.parameters.length - 2,
    batchSize,
    columns: src.columns.map(([name, , type]) => [name, type]),
    groupRows,
  });
  let total = 0;
  async function* reported() {
    for await (const g of groups) {
      yield g;
      total += g.rows;
      o.onProgress?.(total);
    }
  }
  return writeParquetGroups(o.out, reported(), { groupRows, dictionary: src.dictionary });
}
