/**
 * Two processes writing at once and one reading, on one database: the children import the built
 * store (dist/), so run `npm run build` first. Used on each dialect, and on SQLite on a network
 * filesystem (rollback journal instead of WAL).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ROOT } from './paths.js';
import { openDatabase } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { getOrCreateServer } from '../../src/store/repos/servers.js';
import { defaultConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';

const dist = (p: string) => JSON.stringify(join(ROOT, 'dist', p));

const CHILD = `
import { openDatabase } from ${dist('store/db.js')};
import { upsertBatch, insertBatch } from ${dist('store/batch.js')};
import { writeTransaction } from ${dist('store/transaction.js')};
import { defaultConfig } from ${dist('config/schema.js')};
import { silentLogger } from ${dist('util/logger.js')};
const [url, role, id, rounds] = process.argv.slice(2);
const h = await openDatabase({ url, config: defaultConfig(), logger: silentLogger(), home: '/', requireCurrentSchema: true });
const db = h.db;
const sid = (await db.selectFrom('servers').select('id').executeTakeFirstOrThrow()).id;
let reads = 0;
try {
  if (role === 'writer') {
    for (let i = 0; i < Number(rounds); i++) {
      await writeTransaction(db, async (trx) => {
        // read first, then write: the pattern that deadlocks a deferred SQLite transaction
        await trx.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
        const rows = [];
        for (let k = 0; k < 40; k++) {
          const shared = k < 10;
          const jobId = shared ? 'shared-' + k : 'w' + id + '-' + i + '-' + k;
          rows.push({ server_id: sid, job_id: jobId, seq: k, state: 'R', is_array_parent: 0,
            end_time_estimated: 0, final_state_recorded: 0, lifecycle_quality: 'partial',
            first_seen: i, last_seen: i, owner: 'w' + id });
        }
        await upsertBatch(trx, 'jobs', rows, ['server_id', 'job_id'], ['last_seen', 'owner']);
        const ids = await trx.selectFrom('jobs').select('id').where('job_id', 'like', 'w' + id + '-' + i + '-%').execute();
        await insertBatch(trx, 'job_history', ids.map((r) => ({ server_id: sid, job_row_id: r.id,
          from_state: null, to_state: 'R', observed_at: i, source: 'qstat' })));
      });
    }
  } else {
    const until = Date.now() + Number(rounds);
    while (Date.now() < until) {
      const r = await db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      if (typeof r.n !== 'number') throw new Error('count is not a number: ' + typeof r.n);
      await db.selectFrom('job_history').select('id').limit(50).execute();
      reads++;
    }
  }
  process.stdout.write(JSON.stringify({ ok: true, reads }));
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(err && err.message || err), code: err && err.code }));
} finally {
  await h.close();
}
`;

function runChild(
  script: string,
  args: string[],
): Promise<{ ok: boolean; error?: string; reads?: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('error', reject);
    p.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as { ok: boolean; error?: string });
      } catch {
        reject(new Error(`child exited ${code}: ${out}\n${err}`));
      }
    });
  });
}

export interface ConcurrentOutcome {
  /** each child's report: ok, or the error it met */
  results: Array<{ ok: boolean; error?: string; reads?: number }>;
  jobs: number;
  transitions: number;
  /** SQLite's integrity_check rows (null on PostgreSQL) */
  integrity: Array<{ integrity_check: string }> | null;
  /** SQLite's journal mode while they ran (null on PostgreSQL) */
  journalMode: string | null;
}

/** Rounds each writer makes: 10 shared jobs + 30 of its own per round, a transition per own job. */
export const ROUNDS = 25;

/** Creates the database at `url`, runs two writers and a reader on it, and counts what is left. */
export async function runConcurrentWriters(url: string): Promise<ConcurrentOutcome> {
  if (!existsSync(join(ROOT, 'dist/store/transaction.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before this test');
  }
  const opts = { url, config: defaultConfig(), logger: silentLogger(), home: tmpdir() };
  const setup = await openDatabase({ ...opts, create: true, requireCurrentSchema: false });
  await migrateToLatest(setup.db);
  await getOrCreateServer(setup.db, 'pbs1', 1);
  await setup.close();

  const dir = mkdtempSync(join(tmpdir(), 'pbsmon-conc-'));
  try {
    const script = join(dir, 'child.mjs');
    writeFileSync(script, CHILD);
    const results = await Promise.all([
      runChild(script, [url, 'writer', '1', String(ROUNDS)]),
      runChild(script, [url, 'writer', '2', String(ROUNDS)]),
      runChild(script, [url, 'reader', '0', '1500']),
    ]);
    const h = await openDatabase(opts);
    try {
      const count = async (table: 'jobs' | 'job_history') =>
        (
          await h.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      const sqlite = h.dialect === 'sqlite';
      return {
        results,
        jobs: await count('jobs'),
        transitions: await count('job_history'),
        integrity: sqlite
          ? (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(h.db)).rows
          : null,
        journalMode: sqlite
          ? (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(h.db)).rows[0]!
              .journal_mode
          : null,
      };
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
