/**
 * Streaming writers for `export`: CSV (text cells that a spreadsheet would run as formulas are
 * neutralised — numbers never are), JSON lines, and Parquet. Parquet streams too: each batch
 * becomes an Arrow record batch fed to parquet-wasm's transformParquetStream, with the row-group
 * size set to the batch size, so neither side holds more than one batch.
 * Numeric columns are float64 in Parquet (exact for integers below 2^53, e.g. epoch seconds).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { csvField } from '../cli/output/csv.js';
import type { ColType, ExportRow } from './export-source.js';

export type ExportFormat = 'csv' | 'jsonl' | 'parquet';
export const EXPORT_FORMATS: ExportFormat[] = ['csv', 'jsonl', 'parquet'];

async function put(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function end(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/** Writes every batch of `batches` to `file` in `format`; returns the row count. */
export async function writeExport(
  format: ExportFormat,
  file: string,
  columns: Array<[string, ColType]>,
  batches: AsyncIterable<ExportRow[]>,
  batchSize: number,
): Promise<number> {
  if (format === 'parquet') return writeParquet(file, columns, batches, batchSize);
  const out = createWriteStream(file);
  await once(out, 'open');
  let total = 0;
  try {
    if (format === 'csv') await put(out, columns.map(([c]) => c).join(',') + '\r\n');
    for await (const rows of batches) {
      let text = '';
      if (format === 'csv') {
        for (const r of rows) text += columns.map(([c]) => csvField(r[c])).join(',') + '\r\n';
      } else {
        for (const r of rows) {
          const o: ExportRow = {};
          for (const [c] of columns) o[c] = r[c] ?? null;
          text += JSON.stringify(o) + '\n';
        }
      }
      await put(out, text);
      total += rows.length;
    }
  } finally {
    await end(out);
  }
  return total;
}

async function writeParquet(
  file: string,
  columns: Array<[string, ColType]>,
  batches: AsyncIterable<ExportRow[]>,
  batchSize: number,
): Promise<number> {
  const pw = await import('parquet-wasm/node');
  const arrow = await import('apache-arrow');
  let total = 0;
  // pull-driven: parquet-wasm asks for the next record batch only when it has written the last
  async function* recordBatches() {
    for await (const rows of batches) {
      const vectors: Record<string, InstanceType<typeof arrow.Vector>> = {};
      for (const [c, type] of columns) {
        const values = rows.map((r) => r[c] ?? null);
        vectors[c] = arrow.vectorFromArray(
          values,
          type === 'num' ? new arrow.Float64() : new arrow.Utf8(),
        );
      }
      const wt = pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(vectors), 'stream'));
      total += rows.length;
      yield* wt.recordBatches();
    }
  }
  const props = new pw.WriterPropertiesBuilder()
    .setMaxRowGroupSize(batchSize)
    .setCompression(pw.Compression.SNAPPY)
    .build();
  const bytes = await pw.transformParquetStream(ReadableStream.from(recordBatches()), props);
  await bytes.pipeTo(Writable.toWeb(createWriteStream(file)) as WritableStream<Uint8Array>);
  return total;
}
