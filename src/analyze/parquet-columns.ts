/**
 * Rows → Arrow IPC record batches, one per Parquet row group. Rows arrive one at a time and are
 * copied into reused, preallocated column buffers (Int64 as lo/hi 32-bit words, Float64, UTF-8
 * bytes with Int32 offsets, validity bitmaps); every `groupRows` rows become one IPC message.
 * Text is encoded as it arrives, so no string outlives its row (a group of strings kept until
 * the flush was promoted out of the young generation: GC time). No Arrow builders, no BigInt.
 * Pure JS, so it runs in the export's reader thread as well as in the main one.
 */
import type * as ArrowModule from 'apache-arrow';
import type { Data } from 'apache-arrow';
import type { ColType, ExportRow } from './export-columns.js';

/** One row group as an Arrow IPC stream. */
export interface IpcGroup {
  ipc: Uint8Array;
  rows: number;
}

const TWO32 = 4294967296;
type Arrow = typeof ArrowModule;

interface Col {
  name: string;
  valid: Uint8Array;
  nulls: number;
  /** Int64 as little-endian [lo, hi] pairs */
  i32?: Int32Array;
  f64?: Float64Array;
  /** UTF-8: bytes[offsets[i] .. offsets[i + 1]) is slot i */
  text?: { bytes: Buffer; offsets: Int32Array };
}

function makeCols(columns: Array<[string, ColType]>, cap: number): Col[] {
  return columns.map(([name, type]) => ({
    name,
    valid: new Uint8Array((cap + 7) >> 3),
    nulls: 0,
    i32: type === 'num' ? new Int32Array(cap * 2) : undefined,
    f64: type === 'real' ? new Float64Array(cap) : undefined,
    text:
      type === 'text'
        ? { bytes: Buffer.allocUnsafe(cap * 16), offsets: new Int32Array(cap + 1) }
        : undefined,
  }));
}

/** Appends `s` as UTF-8 at the end of slot i - 1 and closes slot i. */
function putText(t: NonNullable<Col['text']>, i: number, s: string): void {
  const at = t.offsets[i]!;
  if (at + s.length * 3 > t.bytes.length) {
    const grown = Buffer.allocUnsafe(Math.max(t.bytes.length * 2, at + s.length * 3));
    t.bytes.copy(grown, 0, 0, at);
    t.bytes = grown;
  }
  const b = t.bytes;
  // short ASCII strings (ids, names, states) are copied here: cheaper than a native call each
  if (s.length <= 32) {
    let j = 0;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x80) break;
      b[at + j] = c;
    }
    if (j === s.length) {
      t.offsets[i + 1] = at + j;
      return;
    }
  }
  t.offsets[i + 1] = at + b.write(s, at, 'utf8');
}

/** Copies row `r` into slot `i` of every column. */
function put(cols: Col[], r: ExportRow, i: number): void {
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!;
    const v = r[k];
    if (v === null || v === undefined) {
      c.nulls++;
      if (c.text) c.text.offsets[i + 1] = c.text.offsets[i]!;
      continue;
    }
    c.valid[i >> 3] = (c.valid[i >> 3] as number) | (1 << (i & 7));
    if (c.i32) {
      const x = typeof v === 'number' ? Math.trunc(v) : Number(v);
      const hi = Math.floor(x / TWO32);
      c.i32[2 * i] = (x - hi * TWO32) | 0;
      c.i32[2 * i + 1] = hi | 0;
    } else if (c.f64) c.f64[i] = Number(v);
    else putText(c.text!, i, typeof v === 'string' ? v : String(v));
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
      const t = c.text!;
      data = arrow.makeData({
        type: new arrow.Utf8(),
        valueOffsets: t.offsets.subarray(0, n + 1),
        data: t.bytes.subarray(0, t.offsets[n]),
        ...common,
      });
    }
    vectors[c.name] = arrow.makeVector(data);
  }
  // tableToIPC copies every buffer: the columns can be reused at once
  const ipc = arrow.tableToIPC(new arrow.Table(vectors), 'stream');
  for (const c of cols) {
    c.valid.fill(0);
    c.nulls = 0;
  }
  return ipc;
}

/**
 * Arrow IPC bytes per `groupRows` rows of `batches`. An empty input still yields one empty
 * group, so the file gets its schema.
 */
export async function* ipcGroups(
  columns: Array<[string, ColType]>,
  batches: AsyncIterable<Iterable<ExportRow>>,
  groupRows: number,
): AsyncGenerator<IpcGroup> {
  const arrow = await import('apache-arrow');
  const cols = makeCols(columns, groupRows);
  let n = 0;
  let total = 0;
  for await (const rows of batches) {
    for (const r of rows) {
      put(cols, r, n++);
      if (n === groupRows) {
        yield { ipc: flush(arrow, cols, n), rows: n };
        total += n;
        n = 0;
      }
    }
  }
  if (n > 0 || total === 0) yield { ipc: flush(arrow, cols, n), rows: n };
}
