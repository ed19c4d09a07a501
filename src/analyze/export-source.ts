/**
 * How `export` reads a source: keyset pagination on the id (`WHERE id > last ORDER BY id
 * LIMIT n`), so memory stays constant however many rows there are and no read transaction
 * outlives one chunk, on both databases. One loop serves three row readers: a raw better-sqlite3
 * reader (export-sqlite-rows.ts, streamed arrays), Kysely on SQLite (one JSON array per row) and
 * Kysely on PostgreSQL (one JSON array per row too: json_build_array).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import { serverWhere } from './sql-util.js';
import { dialectOf } from '../store/dialect.js';
import { SOURCES, type ExportFilter, type ExportKind, type ExportRow } from './export-columns.js';
import type { ExportSource } from './export-columns.js';
import type { RowReader } from './export-sqlite-rows.js';

export {
  EXPORT_KINDS,
  SOURCES,
  type ColType,
  type ExportFilter,
  type ExportKind,
  type ExportRow,
  type ExportSource,
} from './export-columns.js';

function whereOf(src: ExportSource, f: ExportFilter): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [];
  if (f.from !== undefined) parts.push(sql`${sql.raw(src.timeCol)} >= ${f.from}`);
  if (f.to !== undefined) parts.push(sql`${sql.raw(src.timeCol)} < ${f.to}`);
  for (const k of ['user', 'project', 'queue'] as const) {
    const v = f[k];
    if (v === undefined) continue;
    const col = src.filterCols[k];
    if (col) parts.push(sql`${sql.raw(col)} = ${v}`);
  }
  if (f.server) parts.push(serverWhere(f.server, 't'));
  return parts;
}

/** How rows come back: 'raw' arrays from a RowReader, or one JSON array per row. */
export type Shape = 'raw' | 'json';

function selectList(src: ExportSource, shape: Shape, dialect: 'sqlite' | 'postgres'): string {
  const exprs = src.columns.map(([, expr]) => expr).join(', ');
  if (shape === 'raw') return exprs;
  // through Kysely a 35-key row object costs several times what JSON.parse of one array does
  // (measured 3–4× on SQLite's 1M-job export; on PostgreSQL pg also parses each column's text)
  return dialect === 'sqlite' ? `json_array(${exprs}) AS r` : `json_build_array(${exprs}) AS r`;
}

/** The chunk query of a source as a function of the last id read (keyset pagination). */
export function chunkQuery(
  db: Kysely<Database>,
  kind: ExportKind,
  f: ExportFilter,
  batchSize: number,
  extraWhere: RawBuilder<unknown> | undefined,
  shape: Shape,
): (last: number) => RawBuilder<Record<string, unknown>> {
  const src = SOURCES[kind];
  const select = sql.raw(selectList(src, shape, dialectOf(db)));
  const base = whereOf(src, f);
  if (extraWhere) base.push(extraWhere);
  // `last` is the next-to-last parameter (the LIMIT is the last): the reader thread rebinds it
  return (last) => sql`
    SELECT ${select} FROM ${sql.raw(src.from)} LEFT JOIN servers srv ON srv.id = t.server_id
    WHERE ${sql.join([...base, sql`t.id > ${last}`], sql` AND `)} ORDER BY t.id LIMIT ${batchSize}`;
}

/**
 * Reads the source in id order, `batchSize` rows per chunk (keyset pagination). Each chunk is
 * iterated lazily: consume it before asking for the next one. An empty source yields no chunk.
 * With `reader` (SQLite only) rows stream from it instead of through Kysely.
 */
export function exportBatches(
  db: Kysely<Database>,
  kind: ExportKind,
  f: ExportFilter,
  batchSize = 10_000,
  extraWhere?: RawBuilder<unknown>,
  reader?: RowReader,
): AsyncGenerator<Iterable<ExportRow>> {
  const query = chunkQuery(db, kind, f, batchSize, extraWhere, reader ? 'raw' : 'json');
  if (reader) return keysetChunks((last) => reader.rows(query(last).compile(db)), batchSize);
  return keysetChunks(async (last) => {
    const res = await query(last).execute(db);
    // pg parses a json column itself; better-sqlite3 returns the text
    return res.rows
      .map((r) => (typeof r.r === 'string' ? JSON.parse(r.r) : r.r) as ExportRow)
      .values();
  }, batchSize);
}

/**
 * The one keyset loop: `fetch(last)` returns the rows after id `last` (at most `batchSize`, id
 * first in each row); a short chunk is the last one.
 */
export async function* keysetChunks(
  fetch: (last: number) => Iterator<ExportRow> | Promise<Iterator<ExportRow>>,
  batchSize: number,
): AsyncGenerator<Iterable<ExportRow>> {
  let last = -1;
  for (;;) {
    const seen = { n: 0, last };
    const chunk = tracked(await fetch(last), seen);
    const first = chunk.next();
    if (first.done) return;
    try {
      yield prepend(first.value, chunk);
      while (!chunk.next().done); // whatever the consumer left: `seen` must count every row
    } finally {
      chunk.return(undefined); // on an early exit, frees the statement
    }
    if (seen.n < batchSize) return;
    last = seen.last;
  }
}

/** Passes rows through, counting them and keeping the last id. */
function* tracked(rows: Iterator<ExportRow>, seen: { n: number; last: number }) {
  try {
    for (let r = rows.next(); !r.done; r = rows.next()) {
      seen.n++;
      seen.last = Number(r.value[0]);
      yield r.value;
    }
  } finally {
    rows.return?.(); // releases a streaming statement left half-read
  }
}

function* prepend(first: ExportRow, rest: Iterator<ExportRow>): Generator<ExportRow> {
  yield first;
  for (let r = rest.next(); !r.done; r = rest.next()) yield r.value;
}
