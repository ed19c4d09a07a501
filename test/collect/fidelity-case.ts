/**
 * Fidelity against the emulator's ground truth, with the real PBS client (in-process runner over
 * the emulator's commands). CI runs the scenarios scaled down (8 h history, 1.5 days, outages of 6 h and 12 h); set
 * PBSMON_FIDELITY_FULL=1 for the full ones (5-day history, 14 days, 3- and 7-day outages).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { compareWithTruth } from './emu-harness.js';
import { driveCluster, type Schedule } from './fidelity-run.js';

const FULL = process.env.PBSMON_FIDELITY_FULL === '1';
const H = FULL ? 120 : 8;
const DAYS = FULL ? 14 : 1.5;
/** an outage shorter than the history duration, and one longer */
const SHORT: [number, number] = FULL ? [5, 8] : [0.5, 0.75];
const LONG: [number, number] = FULL ? [4, 11] : [0.5, 1.0];

export const SCENARIOS: Record<string, Schedule> = {
  steady: { days: DAYS, historyHours: H },
  short: { days: DAYS, historyHours: H, outage: SHORT },
  long: { days: DAYS, historyHours: H, outage: LONG },
};

/** Runs a scenario and checks the database against the truth. */
export function fidelityCase(name: keyof typeof SCENARIOS): void {
  describe(`fidelity against the emulator: ${name} (small preset, ${H} h history, ${DAYS} days)`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });
    it('every job PBS held when we looked is stored exactly; nothing else', async () => {
      t = await openTestDatabase('sqlite');
      const db = t.handle.db;
      const t0 = performance.now();
      const run = await driveCluster(db, SCENARIOS[name]!);
      try {
        expect(run.results.filter((r) => r.status !== 'ok').map((r) => r.error)).toEqual([]);
        const cmp = await compareWithTruth(db, run.truth, {
          firstRun: run.firstRun,
          resumeAt: run.resumeAt,
        });
        console.log(
          `fidelity ${name}: ${run.results.length} collector runs, ${cmp.checked} jobs checked, ${cmp.missed.length} missed, ${cmp.absent.length} absent, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        expect(cmp.mismatches.slice(0, 10)).toEqual([]);
        expect(cmp.checked).toBeGreaterThan(300);
        const log = await db
          .selectFrom('data_collection_log')
          .select(['kind', 'details'])
          .where('kind', '=', 'jobs')
          .execute();
        const windows = log
          .map((l) => JSON.parse(l.details ?? '{}').uncovered_window)
          .filter(Boolean);
        if (name === 'long') {
          // jobs were lost in the gap, PBS says so, and the log names the window
          expect(cmp.absent.length + cmp.missed.length).toBeGreaterThan(0);
          expect(windows).toEqual([{ from: run.lastBeforeOutage, to: run.resumeAt! - H * 3600 }]);
        } else {
          expect(cmp.absent).toEqual([]);
          expect(cmp.missed).toEqual([]);
          expect(windows).toEqual([]);
        }
      } finally {
        run.cleanup();
      }
    }, 2_400_000);
  });
}
