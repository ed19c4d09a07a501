/**
 * Streaming writers for `export`: CSV (text cells that a spreadsheet would run as formulas are
 * neutralised — numbers never are), JSON lines, and Parquet (parquet-writer.ts: typed Int64 /
 * Float64 / UTF-8 columns, 16k-row row groups). All three hold one batch at a time.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvField } from '../cli/output/csv.js';
import type { ColType, ExportRow } from './export-columns.js';
import { PARQUET_GROUP_ROWS, writeParquet } from './parquet-writer.js';

export type ExportFormat = 'csv' | 'jsonl' | 'parquet';
export const EXPORT_FORMATS: ExportFormat[] = ['csv', 'jsonl', 'parquet'];

async function put(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function end(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/**
 * Writes every row of `batches` to `file` in `format`; returns the row count. `dictionary`
 * names the Parquet columns worth dictionary-encoding.
 */
export async function writeExport(
  format: ExportFormat,
  file: string,
  columns: Array<[string, ColType]>,
  batches: AsyncIterable<Iterable<ExportRow>>,
  batchSize: number,
  dictionary: string[] = [],
): Promise<number> {
  if (format === 'parquet') {
    const groupRows = Math.max(batchSize, PARQUET_GROUP_ROWS);
    return writeParquet(file, columns, batches, { groupRows, dictionary });
  }
  const out = createWriteStream(file);
  await once(out, 'open');
  let total = 0;
  try {
    if (format === 'csv') await put(out, columns.map(([c]) => c).join(',') + '\r\n');
    for await (const rows of batches) {
      let text = '';
      for (const r of rows) {
        total++;
        if (format === 'csv') text += r.map(csvField).join(',') + '\r\n';
        else {
          const o: Record<string, string | number | null> = {};
          columns.forEach(([c], i) => (o[c] = r[i] ?? null));
          text += JSON.stringify(o) + '\n';
        }
      }
      await put(out, text);
    }
  } finally {
    await end(out);
  }
  return total;
}
