/**
 * Streaming Parquet writer for `export` and archives. Rows arrive in batches of objects; they are
 * copied into reused, preallocated column buffers (Int64 as lo/hi 32-bit words, Float64, UTF-8
 * bytes with Int32 offsets, validity bitmaps) and every `groupRows` rows become one Arrow record
 * batch → one Parquet row group, handed to parquet-wasm's pull-driven transformParquetStream.
 * No Arrow builders and no per-value BigInt: memory is a few row groups whatever the row count.
 */
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import type * as ArrowModule from 'apache-arrow';
import type { Data } from 'apache-arrow';
import type { ColType, ExportRow } from './export-source.js';

/** Rows per Parquet row group: 64k raised the 1M-job export's peak RSS ~100 MB (wasm memory). */
export const PARQUET_GROUP_ROWS = 16_384;

const TWO32 = 4294967296;
type Arrow = typeof ArrowModule;

interface Col {
  name: string;
  type: ColType;
  valid: Uint8Array;
  nulls: number;
  /** Int64 as little-endian [lo, hi] pairs, or Float64 */
  i32?: Int32Array;
  f64?: Float64Array;
  text?: Array<string | null>;
}

function makeCols(columns: Array<[string, ColType]>, cap: number): Col[] {
  return columns.map(([name, type]) => ({
    name,
    type,
    valid: new Uint8Array((cap + 7) >> 3),
    nulls: 0,
    i32: type === 'num' ? new Int32Array(cap * 2) : undefined,
    f64: type === 'real' ? new Float64Array(cap) : undefined,
    text: type === 'text' ? new Array<string | null>(cap) : undefined,
  }));
}

/** Copies row `r` into slot `i` of every column. */
function put(cols: Col[], r: ExportRow, i: number): void {
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!;
    const v = r[k];
    if (v === null || v === undefined) {
      c.nulls++;
      if (c.text) c.text[i] = null;
      continue;
    }
    c.valid[i >> 3] = (c.valid[i >> 3] as number) | (1 << (i & 7));
    if (c.i32) {
      const x = typeof v === 'number' ? Math.trunc(v) : Number(v);
      const hi = Math.floor(x / TWO32);
      c.i32[2 * i] = (x - hi * TWO32) | 0;
      c.i32[2 * i + 1] = hi | 0;
    } else if (c.f64) c.f64[i] = Number(v);
    else c.text![i] = typeof v === 'string' ? v : String(v);
  }
}

/** Arrow IPC bytes of the first `n` slots; resets the columns for the next group. */
function flush(arrow: Arrow, cols: Col[], n: number): Uint8Array {
  const vectors: Record<string, ReturnType<typeof arrow.makeVector>> = {};
  for (const c of cols) {
    const nullBitmap = c.nulls ? c.valid.subarray(0, (n + 7) >> 3) : undefined;
    const common = { length: n, nullCount: c.nulls, nullBitmap };
    let data: Data;
    if (c.i32) {
      const words = new BigInt64Array(c.i32.buffer, 0, n);
      data = arrow.makeData({ type: new arrow.Int64(), data: words, ...common });
    } else if (c.f64) {
      data = arrow.makeData({ type: new arrow.Float64(), data: c.f64.subarray(0, n), ...common });
    } else {
      const text = c.text!;
      const offsets = new Int32Array(n + 1);
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        offsets[i] = bytes;
        const s = text[i];
        if (s) bytes += Buffer.byteLength(s, 'utf8');
      }
      offsets[n] = bytes;
      const buf = Buffer.allocUnsafe(bytes);
      for (let i = 0; i < n; i++) {
        const s = text[i];
        if (s) buf.write(s, offsets[i]!, 'utf8');
        text[i] = null;
      }
      data = arrow.makeData({
        type: new arrow.Utf8(),
        valueOffsets: offsets,
        data: buf,
        ...common,
      });
    }
    vectors[c.name] = arrow.makeVector(data);
  }
  const ipc = arrow.tableToIPC(new arrow.Table(vectors), 'stream');
  for (const c of cols) {
    c.valid.fill(0);
    c.nulls = 0;
  }
  return ipc;
}

/** Writes every batch to `file` as Parquet (snappy, typed columns); returns the row count. */
export async function writeParquet(
  file: string,
  columns: Array<[string, ColType]>,
  batches: AsyncIterable<ExportRow[]>,
  groupRows = PARQUET_GROUP_ROWS,
): Promise<number> {
  const pw = await import('parquet-wasm/node');
  const arrow = await import('apache-arrow');
  const cols = makeCols(columns, groupRows);
  let total = 0;
  // pull-driven: parquet-wasm asks for the next record batch only when it has written the last
  async function* recordBatches() {
    let n = 0;
    const emit = function* () {
      const wt = pw.Table.fromIPCStream(flush(arrow, cols, n));
      n = 0;
      // the batches share the table's buffers; free the wrapper now, not at some later JS GC
      // (wasm memory never shrinks, so every group left to the finalizer raises the peak)
      const rbs = wt.recordBatches();
      wt.free();
      yield* rbs;
    };
    for await (const rows of batches) {
      for (const r of rows) {
        put(cols, r, n++);
        if (n === groupRows) yield* emit();
      }
      total += rows.length;
    }
    // an empty export still writes a valid file with the schema
    if (n > 0 || total === 0) yield* emit();
  }
  const props = new pw.WriterPropertiesBuilder()
    .setMaxRowGroupSize(groupRows)
    .setCompression(pw.Compression.SNAPPY)
    .build();
  const bytes = await pw.transformParquetStream(ReadableStream.from(recordBatches()), props);
  await bytes.pipeTo(Writable.toWeb(createWriteStream(file)) as WritableStream<Uint8Array>);
  return total;
}
