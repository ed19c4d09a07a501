/**
 * PostgreSQL really restarted (`pg_ctlcluster … restart`) in the middle of a collection run of the
 * daemon schedule: the run fails or is spooled, later ticks replay it, nothing is lost.
 *
 * It restarts the machine's PostgreSQL server, so it never runs in the normal suite (other tests
 * share that server). Run it alone, after the suite:
 *   PBS_MONITOR_TEST_PG_RESTART=1 PBS_MONITOR_TEST_PG_URL=postgresql://postgres@127.0.0.1:5432/test \
 *     npx vitest run test/reliability/pg-restart.test.ts
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PG_URL } from '../helpers/databases.js';
import { runOutageScenario, type DbFault } from '../collect/outage/outage-run.js';

const ENABLED = process.env.PBS_MONITOR_TEST_PG_RESTART === '1' && Boolean(PG_URL);
if (!ENABLED)
  console.log(
    'note: test/reliability/pg-restart.test.ts skipped: it restarts the PostgreSQL server; set PBS_MONITOR_TEST_PG_RESTART=1 (and PBS_MONITOR_TEST_PG_URL) to run it alone',
  );

/** `pg_ctlcluster --skip-systemctl-redirect <version> main restart`, no shell. */
function restartPostgres(): Promise<number> {
  const version = readdirSync('/etc/postgresql')[0];
  if (!version) throw new Error('no cluster under /etc/postgresql');
  const t0 = Date.now();
  return new Promise((resolve, reject) =>
    execFile(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', version, 'main', 'restart'],
      { timeout: 60_000 },
      (err, _out, stderr) =>
        err ? reject(new Error(`${err.message} ${stderr}`)) : resolve(Date.now() - t0),
    ),
  );
}

describe.runIf(ENABLED)('PostgreSQL restarted in the middle of a run', () => {
  it('the run fails or is spooled, the next ticks recover and replay, nothing is lost', async () => {
    const state: { restart: Promise<number> | null; restarted: boolean } = {
      restart: null,
      restarted: false,
    };
    let tick = 0;
    const direct = async (url: string): Promise<DbFault> => ({
      url,
      down: async () => undefined,
      up: async () => undefined,
      close: async () => undefined,
    });
    const r = await runOutageScenario({
      dialect: 'postgres',
      hours: 2,
      fault: direct,
      // ticks are emulated (instant): while the server restarts, give each one real time
      onTick: async () => {
        if (state.restart && !state.restarted) await new Promise((res) => setTimeout(res, 500));
      },
      wrapRun: (run) => async (ctx, kinds) => {
        tick += 1;
        if (tick !== 8 || ctx.replayedFrom !== undefined) return run(ctx, kinds);
        const p = run(ctx, kinds);
        await new Promise((res) => setImmediate(res));
        state.restart = restartPostgres().then((ms) => {
          state.restarted = true;
          return ms;
        });
        return p;
      },
    });
    const ms = await state.restart;
    expect(ms).not.toBeNull();
    const spooled = r.results.filter((x) => x.error?.includes('PBS state spooled to'));
    console.log(
      `pg restart took ${ms} ms; ${spooled.length} collector results spooled, ${r.replayed.length} log rows replayed`,
    );
    expect(r.capturesLeft).toBe(0);
    expect(r.validation.problems).toEqual([]);
    expect(r.compare.mismatches.slice(0, 10)).toEqual([]);
    expect(r.compare.absent).toEqual([]);
    expect(r.compare.missed).toEqual([]);
    expect(r.replayed.every(([, , status]) => status === 'ok')).toBe(true);
    expect(new Set(r.replayed.map(([k, at]) => `${k}@${at}`))).toEqual(
      new Set(spooled.map((x) => `${x.kind}@${x.elapsedS}`)),
    );
    expect(r.results.slice(-3).map((x) => x.status)).toEqual(['ok', 'ok', 'ok']);
  }, 600_000);
});
