/** The `database` commands through the built CLI (`npm run build` first), on each dialect. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { runCli } from '../helpers/run-cli.js';
import { CLI } from '../helpers/paths.js';
import { openDatabase, type DatabaseHandle } from '../../src/store/db.js';
import { defaultConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';
import { getOrCreateServer } from '../../src/store/repos/servers.js';
import { upsertJobs } from '../../src/store/repos/jobs.js';
import { insertBatch } from '../../src/store/batch.js';
import type { JobsTable } from '../../src/store/schema.js';
import type { Insertable } from 'kysely';
import SqliteDb from 'better-sqlite3';
import { jobRow } from '../helpers/job-rows.js';

const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000);

function job(
  sid: number,
  seq: number,
  o: Partial<Insertable<JobsTable>> = {},
): Insertable<JobsTable> {
  return jobRow(sid, seq, {
    state: 'F',
    submit_time: NOW - 10 * DAY,
    start_time: NOW - 9 * DAY,
    end_time: NOW - 8 * DAY,
    final_state_recorded: 1,
    first_seen: NOW - 10 * DAY,
    last_seen: NOW - 8 * DAY,
    ...o,
  });
}

for (const dialect of DIALECTS) {
  describe(`pbs-monitor database … [${dialect}]`, () => {
    let fresh: TestDatabase | undefined;
    let home = '';
    beforeAll(() => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    });
    afterEach(async () => {
      await fresh?.drop();
      fresh = undefined;
      rmSync(home, { recursive: true, force: true });
    });

    const cli = (...args: string[]) =>
      runCli(['database', ...args], { home, env: { PBS_MONITOR_DB_URL: fresh?.url } });
    const open = (): Promise<DatabaseHandle> =>
      openDatabase({ url: fresh!.url, config: defaultConfig(), logger: silentLogger(), home });
    async function setup(): Promise<void> {
      fresh = await freshDatabase(dialect);
      home = mkdtempSync(join(tmpdir(), 'pbs-home-'));
    }

    it('init, status, migrate; a missing database says how to create it', async () => {
      await setup();
      if (dialect === 'sqlite') {
        const missing = cli('status');
        expect(missing).toMatchObject({ code: 4 });
        expect(missing.stderr).toContain('create it with `pbs-monitor database init`');
      }
      const init = cli('init');
      expect(init).toMatchObject({ code: 0 });
      expect(init.stdout).toMatch(
        /^initialised .*: schema 0003-jobs-live-index \(3 migration\(s\) applied\)\n$/,
      );
      if (dialect === 'sqlite') {
        expect(statSync(fresh!.url.replace('sqlite:///', '')).mode & 0o777).toBe(0o600);
      }
      expect(cli('init').stdout).toMatch(/already initialised \(schema 0003-jobs-live-index\)/);
      expect(cli('migrate').stdout).toMatch(/is up to date \(schema 0003-jobs-live-index\)/);
      const st = cli('status', '--format', 'json');
      expect(st).toMatchObject({ code: 0 });
      const j = JSON.parse(st.stdout) as Record<string, unknown>;
      expect(j).toMatchObject({
        dialect,
        schema_version: '0003-jobs-live-index',
        schema_state: 'current',
        pending_migrations: [],
      });
      expect(j.size_bytes).toBeGreaterThan(0);
      expect(j.page_size).toBe(dialect === 'sqlite' ? 16_384 : null);
      expect(Object.values(j.tables as Record<string, number>)).toEqual(new Array(12).fill(0));
      expect(cli('status').stdout).toMatch(/schema +0003-jobs-live-index \(current\)/);
      expect(cli('vacuum').stdout).toMatch(/^vacuumed /);
    });

    if (dialect === 'sqlite') {
      it('vacuum moves a file made with 4 KB pages to 16 KB pages, once', async () => {
        await setup();
        const raw = new SqliteDb(fresh!.url.slice('sqlite:///'.length));
        raw.pragma('page_size = 4096');
        raw.pragma('journal_mode = wal');
        raw.close();
        expect(cli('init')).toMatchObject({ code: 0 });
        expect(cli('status').stdout).toMatch(/^pages +4 KB \(`pbs-monitor database vacuum` moves/m);
        expect(cli('vacuum').stdout).toMatch(/^vacuumed .*; pages 4 KB → 16 KB\n$/);
        expect(cli('vacuum').stdout).toMatch(/^vacuumed [^;]*\n$/);
        expect(cli('status').stdout).toMatch(/^pages +16 KB$/m);
        expect(JSON.parse(cli('status', '--format', 'json').stdout)).toMatchObject({
          page_size: 16_384,
        });
        expect(cli('validate')).toMatchObject({ code: 0 });
      });
    }

    it('validate: clean → 0; a database corrupted on purpose → 1 naming each problem', async () => {
      await setup();
      expect(cli('init')).toMatchObject({ code: 0 });
      expect(cli('validate').stdout).toMatch(/^ok: .* passed \d+ checks\n$/);
      const h = await open();
      try {
        const sid = await getOrCreateServer(h.db, 'pbs1', NOW, { historyDurationS: 7 * DAY });
        await upsertJobs(h.db, [
          job(sid, 1),
          job(sid, 2, { end_time: NOW - 20 * DAY }), // ends before it starts
          job(sid, 3, { state: 'R', end_time: null }), // final flag without a final state
        ]);
        const ids = await h.db.selectFrom('jobs').select(['id', 'seq']).orderBy('seq').execute();
        const tr = (at: number) => ({
          server_id: sid,
          job_row_id: ids[0]!.id,
          to_state: 'R',
          observed_at: at,
          source: 'qstat' as const,
        });
        await insertBatch(h.db, 'job_history', [tr(NOW - 5), tr(NOW - 50)]); // out of order
        await insertBatch(
          h.db,
          'data_collection_log',
          [NOW - 30 * DAY, NOW - 20 * DAY, NOW - 2 * DAY].map((t) => ({
            server_id: sid,
            kind: 'jobs',
            started_at: t,
            duration_ms: 5,
            status: 'ok' as const,
            items_seen: 1,
            rows_inserted: 0,
            rows_updated: 0,
            transitions: 0,
            repairs: 0,
            error: null,
            details: null,
          })),
        );
      } finally {
        await h.close();
      }
      const v = cli('validate');
      expect(v).toMatchObject({ code: 1 });
      expect(v.stdout).toContain('problem: jobs that end before they start: 1\n  e.g. job 2.pbs1');
      expect(v.stdout).toContain(
        'problem: final state recorded for a job not in a final state: 1\n  e.g. job 3.pbs1 in state R',
      );
      expect(v.stdout).toContain(
        'problem: job transitions out of time order: 1\n  e.g. job 1.pbs1',
      );
      // both gaps (10 and 18 days) exceed the server's 7-day history
      expect(v.stdout.match(/^uncovered: pbs1: no job collection from /gm)).toHaveLength(2);
      expect(v.stderr).toMatch(/failed validation: .*jobs that end before they start \(1\)/);
      const vj = JSON.parse(cli('validate', '--format', 'json').stdout) as {
        ok: boolean;
        problems: unknown[];
      };
      expect(vj.ok).toBe(false);
      expect(vj.problems).toHaveLength(3);
    });

    it('cleanup: dry run changes nothing; --yes removes old jobs and snapshots, keeps the keyframe', async () => {
      await setup();
      expect(cli('init')).toMatchObject({ code: 0 });
      const h = await open();
      try {
        const sid = await getOrCreateServer(h.db, 'pbs1', NOW);
        await upsertJobs(h.db, [
          job(sid, 1, {
            end_time: NOW - 400 * DAY,
            start_time: NOW - 401 * DAY,
            submit_time: NOW - 402 * DAY,
          }),
          job(sid, 2),
          job(sid, 3, { state: 'R', end_time: null, final_state_recorded: 0 }),
        ]);
        const old = await h.db
          .selectFrom('jobs')
          .select('id')
          .where('seq', '=', 1)
          .executeTakeFirstOrThrow();
        await insertBatch(h.db, 'job_history', [
          {
            server_id: sid,
            job_row_id: old.id,
            to_state: 'F',
            observed_at: NOW - 400 * DAY,
            source: 'qstat',
          },
        ]);
        const snap = (t: number, node: string, kf: number) => ({
          server_id: sid,
          snapshot_time: t,
          node,
          states: 'free',
          is_keyframe: kf,
        });
        await insertBatch(h.db, 'node_snapshots', [
          snap(NOW - 100 * DAY, 'n1', 1),
          snap(NOW - 95 * DAY, 'n1', 1),
          snap(NOW - 94 * DAY, 'n1', 0),
          snap(NOW - 10 * DAY, 'n1', 1),
        ] as never);
      } finally {
        await h.close();
      }
      const dry = cli('cleanup', '--dry-run');
      expect(dry).toMatchObject({ code: 0 });
      expect(dry.stdout).toMatch(
        /^would remove: jobs that ended before .* \(365 days\), snapshots before .* \(90 days\)\n/,
      );
      expect(dry.stdout).toMatch(/ {2}job_history +1\n {2}jobs +1\n/);
      // the newest keyframe before the cut (95 days) and the change after it stay
      expect(dry.stdout).toMatch(/ {2}node_snapshots +1\n/);
      expect(cli('cleanup')).toMatchObject({ code: 2 });
      const real = cli('cleanup', '--yes');
      expect(real).toMatchObject({ code: 0 });
      expect(real.stdout).toMatch(/^removed: /);
      const after = await open();
      try {
        expect(
          (await after.db.selectFrom('jobs').select('seq').orderBy('seq').execute()).map(
            (r) => r.seq,
          ),
        ).toEqual([2, 3]);
        expect(await after.db.selectFrom('job_history').selectAll().execute()).toEqual([]);
        const snaps = await after.db
          .selectFrom('node_snapshots')
          .select(['snapshot_time', 'is_keyframe'])
          .orderBy('snapshot_time')
          .execute();
        expect(
          snaps.map((s) => [Math.round((NOW - s.snapshot_time) / DAY), s.is_keyframe]),
        ).toEqual([
          [95, 1],
          [94, 0],
          [10, 1],
        ]);
      } finally {
        await after.close();
      }
      expect(cli('cleanup', '--job-history-days', '0')).toMatchObject({ code: 2 });
      expect(cli('cleanup', '--dry-run', '--job-history-days', '1').stdout).toMatch(
        / {2}jobs +1\n/,
      );
    });

    it('init --force asks, needs --yes without a terminal, and starts empty', async () => {
      await setup();
      expect(cli('init')).toMatchObject({ code: 0 });
      const h = await open();
      await getOrCreateServer(h.db, 'pbs1', NOW);
      await h.close();
      const refused = cli('init', '--force');
      expect(refused).toMatchObject({ code: 2 });
      expect(refused.stderr).toContain('pass --yes');
      expect(cli('init', '--force', '--yes')).toMatchObject({ code: 0 });
      const st = JSON.parse(cli('status', '--format', 'json').stdout) as {
        tables: { servers: number };
      };
      expect(st.tables.servers).toBe(0);
    });

    it('backup then restore round-trips (SQLite); PostgreSQL uses pg_dump / explains pg_restore', async () => {
      await setup();
      expect(cli('init')).toMatchObject({ code: 0 });
      const add = async (name: string) => {
        const h = await open();
        await getOrCreateServer(h.db, name, NOW);
        await h.close();
      };
      await add('before');
      const dest = join(home, 'copy.db');
      const b = cli('backup', dest);
      expect(b).toMatchObject({ code: 0 });
      expect(b.stdout).toBe(`${dest}\n`);
      expect(statSync(dest).size).toBeGreaterThan(0);
      expect(cli('backup', dest)).toMatchObject({ code: 1 }); // never overwrites
      await add('after');
      if (dialect === 'postgres') {
        const r = cli('restore', dest, '--yes');
        expect(r).toMatchObject({ code: 1 });
        expect(r.stderr).toContain('pg_restore');
        return;
      }
      expect(statSync(dest).mode & 0o777).toBe(0o600);
      expect(cli('restore', dest)).toMatchObject({ code: 2 }); // no terminal, no --yes
      const dbPath = fresh!.url.replace('sqlite:///', '');
      writeFileSync(
        `${dbPath}.lock`,
        JSON.stringify({ pid: process.pid, host: hostname(), startedAt: NOW }),
      );
      const held = cli('restore', dest, '--yes');
      expect(held).toMatchObject({ code: 1 });
      expect(held.stderr).toMatch(/a collector \(PID \d+ on .*\) holds the database/);
      rmSync(`${dbPath}.lock`);
      const junk = join(home, 'junk.db');
      writeFileSync(junk, 'not a database at all'.repeat(50));
      expect(cli('restore', junk, '--yes').stderr).toMatch(/is not a usable SQLite database/);
      const r = cli('restore', dest, '--yes');
      expect(r).toMatchObject({ code: 0 });
      expect(r.stdout).toBe(`restored ${dbPath} from ${dest} (schema 0003-jobs-live-index)\n`);
      const h = await open();
      try {
        expect(
          (await h.db.selectFrom('servers').select('name').execute()).map((s) => s.name),
        ).toEqual(['before']);
      } finally {
        await h.close();
      }
      expect(cli('validate')).toMatchObject({ code: 0 });
    });
  });
}
