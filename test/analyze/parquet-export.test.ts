/**
 * `export --format parquet` read back (parquet-wasm readParquet → Arrow): every cell of every
 * row equals the database's, nulls stay null, on both dialects and through both SQLite readers
 * (raw better-sqlite3 arrays and Kysely JSON arrays). The writer itself is checked across
 * several row groups with hand-made edge values.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { generateJobs } from '../../src/analyze/synthetic.js';
import { exportRows } from '../../src/analyze/export.js';
import type * as ExportModule from '../../src/analyze/export.js';
import type * as ThreadModule from '../../src/analyze/export-sqlite-thread.js';
import { SOURCES } from '../../src/analyze/export-columns.js';
import { writeParquet } from '../../src/analyze/parquet-writer.js';
import { ROOT } from '../helpers/paths.js';

const DAY = 86400;
const T0 = Date.UTC(2026, 9, 1) / 1000;
const dir = mkdtempSync(join(tmpdir(), 'parquet-export-'));
const BIG = 5 * 2 ** 40; // needs the high 32-bit word

function readBack(file: string): Table {
  return tableFromIPC(readParquet(readFileSync(file)).intoIPCStream());
}

/** Row i of the table as plain values (Int64 → number). */
function rowOf(t: Table, i: number): unknown[] {
  return t.schema.fields.map((f) => {
    const v = t.getChild(f.name)!.get(i) as unknown;
    return typeof v === 'bigint' ? Number(v) : v;
  });
}

for (const dialect of DIALECTS) {
  describe(`parquet export read back (${dialect})`, () => {
    let t: TestDatabaseHandle;
    let expected: unknown[][];
    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      await generateJobs(t.handle.db, { jobs: 2345, from: T0, to: T0 + 20 * DAY, seed: 5 });
      await t.handle.db
        .updateTable('jobs')
        .set({ name: 'ünïcödé 日本 🚀', comment: null, mem_bytes: BIG, exit_status: -29 })
        .where('seq', '=', 3)
        .execute();
      const cols = SOURCES.jobs.columns.map(([name, expr]) => `${expr} AS ${name}`).join(', ');
      const res = await sql<Record<string, unknown>>`
        SELECT ${sql.raw(cols)} FROM jobs t LEFT JOIN servers srv ON srv.id = t.server_id
        ORDER BY t.id`.execute(t.handle.db);
      expected = res.rows.map((r) =>
        SOURCES.jobs.columns.map(([name]) => {
          const v = r[name];
          return v === null || v === undefined ? null : typeof v === 'string' ? v : Number(v);
        }),
      );
    });
    afterAll(async () => t?.drop());

    const readers =
      dialect === 'sqlite' ? [['raw rows', true] as const, ['kysely rows', false] as const] : [];
    for (const [how, raw] of dialect === 'sqlite' ? readers : [['kysely rows', false] as const]) {
      it(`every cell equals the database's (${how}, chunks of 1000)`, async () => {
        const out = join(dir, `jobs-${dialect}-${raw}.parquet`);
        const n = await exportRows(t.handle.db, {
          kind: 'jobs',
          format: 'parquet',
          out,
          filter: {},
          batchSize: 1000,
          sqlitePath: raw ? t.handle.sqlitePath : null,
        });
        expect(n).toBe(2345);
        const table = readBack(out);
        expect(table.numRows).toBe(2345);
        expect(table.schema.fields.map((f) => f.name)).toEqual(
          SOURCES.jobs.columns.map(([name]) => name),
        );
        expect(String(table.schema.fields.find((f) => f.name === 'mem_bytes')!.type)).toBe('Int64');
        for (let i = 0; i < 2345; i++) expect(rowOf(table, i), `row ${i}`).toEqual(expected[i]);
        const third = rowOf(table, 2);
        const col = (name: string) => SOURCES.jobs.columns.findIndex(([c]) => c === name);
        expect(third[col('job_id')]).toBe('3.synth');
        expect(third[col('name')]).toBe('ünïcödé 日本 🚀');
        expect(third[col('comment')]).toBeNull();
        expect(third[col('mem_bytes')]).toBe(BIG);
        expect(third[col('exit_status')]).toBe(-29);
        expect(table.getChild('server')!.get(0)).toBe('synth');
      });
    }

    if (dialect === 'sqlite')
      it('the built reader thread writes the same file byte for byte', async () => {
        // the worker exists only as compiled JS: this drives dist/ (npm test builds it first)
        const built = (await import(join(ROOT, 'dist/analyze/export.js'))) as typeof ExportModule;
        const thread = (await import(
          join(ROOT, 'dist/analyze/export-sqlite-thread.js')
        )) as typeof ThreadModule;
        expect(thread.readerThreadAvailable()).toBe(true);
        const opts = { kind: 'jobs', format: 'parquet', filter: {}, batchSize: 1000 } as const;
        const inThread = join(dir, 'jobs-in-thread.parquet');
        const viaWorker = join(dir, 'jobs-via-worker.parquet');
        await exportRows(t.handle.db, { ...opts, out: inThread, sqlitePath: t.handle.sqlitePath });
        let progress = 0;
        const n = await built.exportRows(t.handle.db, {
          ...opts,
          out: viaWorker,
          sqlitePath: t.handle.sqlitePath,
          onProgress: (rows) => (progress = rows),
        });
        expect(n).toBe(2345);
        expect(progress).toBe(2345);
        expect(readFileSync(viaWorker).equals(readFileSync(inThread))).toBe(true);
        const table = readBack(viaWorker);
        expect(rowOf(table, 2344)).toEqual(expected[2344]);
        // under `node -e` a worker inheriting the options would run the -e code, not its file
        const fromEval = join(dir, 'jobs-from-eval.parquet');
        const code = `
          const { openDatabase } = await import(${JSON.stringify(join(ROOT, 'dist/store/db.js'))});
          const { defaultConfig } = await import(${JSON.stringify(join(ROOT, 'dist/config/schema.js'))});
          const { silentLogger } = await import(${JSON.stringify(join(ROOT, 'dist/util/logger.js'))});
          const { exportRows } = await import(${JSON.stringify(join(ROOT, 'dist/analyze/export.js'))});
          const h = await openDatabase({ url: ${JSON.stringify(t.url)}, config: defaultConfig(),
            logger: silentLogger(), home: '/tmp', requireCurrentSchema: false });
          await exportRows(h.db, { kind: 'jobs', format: 'parquet', filter: {}, batchSize: 1000,
            out: ${JSON.stringify(fromEval)}, sqlitePath: h.sqlitePath });
          await h.close();`;
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
          encoding: 'utf8',
        });
        expect(r.status, r.stderr).toBe(0);
        expect(readFileSync(fromEval).equals(readFileSync(inThread))).toBe(true);
      });

    it('a filter that matches nothing writes a valid empty file with the schema', async () => {
      const out = join(dir, `empty-${dialect}.parquet`);
      const n = await exportRows(t.handle.db, {
        kind: 'jobs',
        format: 'parquet',
        out,
        filter: { user: 'nobody-at-all' },
        sqlitePath: t.handle.sqlitePath,
      });
      expect(n).toBe(0);
      const table = readBack(out);
      expect(table.numRows).toBe(0);
      expect(table.schema.fields).toHaveLength(SOURCES.jobs.columns.length);
    });
  });
}

describe('writeParquet across row groups', () => {
  it('keeps every value, null and long text when groups hold 3 rows', async () => {
    const long = 'x'.repeat(200) + 'é'; // outgrows the 16-bytes-per-row text buffer
    const rows = [
      [1, 'a', 1.5],
      [2, null, null],
      [null, long, -0.25],
      [-BIG, '', 3],
      [2 ** 53 - 1, 'ß', 0],
      [7, long + long, 1e300],
      [-1, 'z', -1],
    ];
    const out = join(dir, 'groups.parquet');
    async function* chunks() {
      yield rows.slice(0, 2);
      yield rows.slice(2);
    }
    const n = await writeParquet(
      out,
      [
        ['i', 'num'],
        ['s', 'text'],
        ['f', 'real'],
      ],
      chunks(),
      { groupRows: 3, dictionary: ['s'] },
    );
    expect(n).toBe(7);
    const table = readBack(out);
    expect(table.numRows).toBe(7);
    // row group 2 (rows 7, 8, 9 counting from 1) holds only the last row
    const last = tableFromIPC(readParquet(readFileSync(out), { rowGroups: [2] }).intoIPCStream());
    expect(rowOf(last, 0)).toEqual(rows[6]);
    expect(rows.map((_, i) => rowOf(table, i))).toEqual(rows);
  });
});
