/**
 * Streaming Parquet writer for `export` and archives: Arrow IPC row groups (parquet-columns.ts,
 * built here or in the export's reader thread) handed to parquet-wasm's pull-driven
 * transformParquetStream, so memory is a few row groups whatever the row count.
 */
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import type { ColType, ExportRow } from './export-columns.js';
import { ipcGroups, type IpcGroup } from './parquet-columns.js';

/** Rows per Parquet row group: 64k raised the 1M-job export's peak RSS ~100 MB (wasm memory). */
export const PARQUET_GROUP_ROWS = 16_384;

export interface ParquetOptions {
  groupRows?: number;
  /** columns to dictionary-encode (low-cardinality text); the rest are plain */
  dictionary?: string[];
}

/** Writes every row of `batches` to `file` as Parquet (typed columns); returns the row count. */
export async function writeParquet(
  file: string,
  columns: Array<[string, ColType]>,
  batches: AsyncIterable<Iterable<ExportRow>>,
  o: ParquetOptions = {},
): Promise<number> {
  const groupRows = o.groupRows ?? PARQUET_GROUP_ROWS;
  return writeParquetGroups(file, ipcGroups(columns, batches, groupRows), o);
}

/** Writes Arrow IPC row groups to `file` as Parquet; returns the row count. */
export async function writeParquetGroups(
  file: string,
  groups: AsyncIterable<IpcGroup>,
  o: ParquetOptions = {},
): Promise<number> {
  const pw = await import('parquet-wasm/node');
  let total = 0;
  // pull-driven: parquet-wasm asks for the next record batch only when it has written the last
  async function* recordBatches() {
    for await (const g of groups) {
      const wt = pw.Table.fromIPCStream(g.ipc);
      total += g.rows;
      // the batches share the table's buffers; free the wrapper now, not at some later JS GC
      // (wasm memory never shrinks, so every group left to the finalizer raises the peak)
      const rbs = wt.recordBatches();
      wt.free();
      yield* rbs;
    }
  }
  // dictionary pages only where values repeat: on ids, names and instants the encoder would
  // build a dictionary per column chunk and then fall back to plain (measured ~10 % of the time)
  let props = new pw.WriterPropertiesBuilder()
    .setMaxRowGroupSize(o.groupRows ?? PARQUET_GROUP_ROWS)
    .setCompression(pw.Compression.SNAPPY)
    .setDictionaryEnabled(false);
  for (const c of o.dictionary ?? []) props = props.setColumnDictionaryEnabled(c, true);
  const bytes = await pw.transformParquetStream(
    ReadableStream.from(recordBatches()),
    props.build(),
  );
  await bytes.pipeTo(Writable.toWeb(createWriteStream(file)) as WritableStream<Uint8Array>);
  return total;
}
