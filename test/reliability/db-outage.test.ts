/**
 * The database away for one hour of emulated time in the middle of a four-hour daemon run
 * (PostgreSQL behind a proxy that refuses and cuts every connection; SQLite held by another
 * writer past its busy timeout), and PostgreSQL cut for ~2 s in the middle of a run. The daemon
 * keeps PBS's state in its outage spool and replays it: afterwards the database validates, every
 * job of the emulator's truth is stored exactly, and the outage hour has its snapshots.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { defaultConfig } from '../../src/config/schema.js';
import { openDatabase } from '../../src/store/db.js';
import { silentLogger } from '../../src/util/logger.js';
import { DIALECTS, PG_URL } from '../helpers/databases.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import {
  INTERVALS,
  runOutageScenario,
  type DbFault,
  type OutageRunReport,
} from '../collect/outage/outage-run.js';

/** PostgreSQL through a proxy that the test takes down and up. */
async function pgProxyFault(url: string): Promise<DbFault> {
  const proxy = await startTcpProxy();
  return {
    url: proxy.via(url),
    down: () => proxy.down(),
    up: () => proxy.up(),
    close: () => proxy.close(),
  };
}

/** SQLite held by another writer (BEGIN IMMEDIATE) for longer than the daemon's busy timeout. */
async function sqliteLockFault(url: string): Promise<DbFault> {
  const locker = await openDatabase({
    url,
    config: defaultConfig(),
    logger: silentLogger(),
    home: tmpdir(),
    requireCurrentSchema: false,
  });
  let held = false;
  return {
    url,
    async down() {
      await sql`begin immediate`.execute(locker.db);
      held = true;
    },
    async up() {
      if (held) await sql`rollback`.execute(locker.db);
      held = false;
    },
    close: () => locker.close(),
  };
}

const faultFor = (dialect: string) => (dialect === 'postgres' ? pgProxyFault : sqliteLockFault);

/** Elapsed seconds of each tick of `kind` in [from, to]. */
const ticks = (kind: keyof typeof INTERVALS, from: number, to: number) => {
  const out: number[] = [];
  for (let s = 0; s <= to; s += INTERVALS[kind]) if (s >= from) out.push(s);
  return out;
};

function expectNothingLost(r: OutageRunReport) {
  expect(r.capturesLeft).toBe(0);
  expect(r.validation.problems).toEqual([]);
  expect(r.compare.mismatches.slice(0, 10)).toEqual([]);
  expect(r.compare.absent).toEqual([]);
  expect(r.compare.missed).toEqual([]);
}

const OUT_FROM = 3600;
const OUT_TO = 6900; // the last tick of the outage hour

describe.each(DIALECTS)('database unavailable for an hour of emulated time (%s)', (dialect) => {
  it('spools PBS state during the hour, replays it in order, loses nothing', async () => {
    const t0 = performance.now();
    const r = await runOutageScenario({
      dialect,
      hours: 4,
      fault: faultFor(dialect),
      onTick: async (s, f) => {
        if (s === OUT_FROM - INTERVALS.jobs) await f.down();
        if (s === OUT_TO) await f.up();
      },
    });
    console.log(
      `db outage (${dialect}): ${r.results.length} collector results, ${r.compare.checked} jobs checked, ${r.replayed.length} log rows replayed, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    expectNothingLost(r);
    expect(r.compare.checked).toBeGreaterThan(20);
    // during the hour every collector failed for the database and its tick was spooled
    const during = r.results.filter((x) => x.elapsedS >= OUT_FROM && x.elapsedS <= OUT_TO);
    expect(during.length).toBe(12 + 6 + 6 + 2 + 2);
    for (const x of during) {
      expect(x.status).toBe('failed');
      expect(x.error).toMatch(/PBS state spooled to /);
    }
    expect(
      r.results.filter((x) => x.status !== 'ok' && (x.elapsedS < OUT_FROM || x.elapsedS > OUT_TO)),
    ).toEqual([]);
    // each spooled tick was replayed once, at its own instant, in order, and committed
    const replayedOf = (kind: string) =>
      r.replayed.filter(([k]) => k === kind).map(([, at, status]) => [at, status]);
    for (const kind of ['jobs', 'nodes', 'system', 'queues', 'reservations'] as const)
      expect(replayedOf(kind)).toEqual(ticks(kind, OUT_FROM, OUT_TO).map((at) => [at, 'ok']));
    // the outage hour has its system snapshots (one per system tick), from the spool
    expect(r.systemSnapshotsAt.filter((s) => s >= OUT_FROM && s <= OUT_TO)).toEqual(
      ticks('system', OUT_FROM, OUT_TO),
    );
    expect(r.nodeSnapshotsAt.filter((s) => s >= OUT_FROM && s <= OUT_TO).length).toBeGreaterThan(0);
  }, 600_000);
});

describe.runIf(PG_URL)('PostgreSQL cut for ~2 s in the middle of a run', () => {
  it('the run fails or is spooled, the next tick recovers, nothing is lost', async () => {
    let cutAt: number | null = null;
    let tick = 0;
    const r = await runOutageScenario({
      dialect: 'postgres',
      hours: 2,
      fault: pgProxyFault,
      // ticks are emulated (instant): while the cut lasts, give each one a little real time
      onTick: async () => {
        if (cutAt !== null && Date.now() - cutAt < 2500)
          await new Promise((res) => setTimeout(res, 250));
      },
      wrapRun: (run, f) => async (ctx, kinds) => {
        tick += 1;
        if (tick !== 8 || ctx.replayedFrom !== undefined) return run(ctx, kinds);
        // cut every connection once the run is under way; the server is back ~2 s later
        const p = run(ctx, kinds);
        await new Promise((res) => setImmediate(res));
        await f.down();
        cutAt = Date.now();
        setTimeout(() => void f.up(), 2000);
        return p;
      },
    });
    expect(cutAt).not.toBeNull();
    expectNothingLost(r);
    const spooled = r.results.filter((x) => x.error?.includes('PBS state spooled to'));
    console.log(
      `pg cut: ${spooled.length} collector results spooled, first: ${spooled[0]?.error?.slice(0, 120)}`,
    );
    expect(spooled.length).toBeGreaterThan(0);
    // the first was the run in flight failing (not a probe before a run)
    expect(spooled[0]!.error).not.toMatch(/^database unavailable/);
    // everything spooled was replayed, each at the instant it was taken
    expect(r.replayed.map(([, , status]) => status).every((s) => s === 'ok')).toBe(true);
    expect(new Set(r.replayed.map(([k, at]) => `${k}@${at}`))).toEqual(
      new Set(spooled.map((x) => `${x.kind}@${x.elapsedS}`)),
    );
    // after the cut the schedule ends with clean runs
    expect(r.results.slice(-3).map((x) => x.status)).toEqual(['ok', 'ok', 'ok']);
  }, 600_000);
});
