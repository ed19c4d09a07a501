/** `qselect -t` reads its time in the client's TZ (mktime(3)), as real PBS does, not the server's zone. */
import { afterAll, describe, expect, it } from 'vitest';
import { advance, now, runPbsCommand } from '../../src/emulator/api.js';
import { formatQselectTime } from '../../src/pbs/qselect-time.js';
import { tempCluster } from './_cluster.js';

const cluster = tempCluster({ preset: 'small', seed: 5, historyHours: 24, start: 1_780_000_000 });
const since = now(cluster.dir);
advance(cluster.dir, 3600);
afterAll(() => cluster.cleanup());

function modifiedSince(stamp: string, env: Record<string, string>): string[] {
  const r = runPbsCommand('qselect', cluster.dir, ['-x', '-t', `m.gt.${stamp}`], env);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.toString().split('\n').filter(Boolean);
}

describe('emulated qselect -t: the time is read in the client zone', () => {
  const inChicago = modifiedSince(formatQselectTime(since, 'America/Chicago'), {});

  it('reads the time in the cluster zone without TZ (the jobs modified in the last hour)', () => {
    expect(inChicago.length).toBeGreaterThan(0);
    // one second later than the run: nothing is older than the hour we advanced
    expect(modifiedSince(formatQselectTime(now(cluster.dir), 'America/Chicago'), {})).toEqual([]);
  });

  it('reads it in TZ when set, so the same instant selects the same jobs', () => {
    expect(modifiedSince(formatQselectTime(since, 'UTC'), { TZ: 'UTC' })).toEqual(inChicago);
    expect(modifiedSince(formatQselectTime(since, 'Asia/Tokyo'), { TZ: ':Asia/Tokyo' })).toEqual(
      inChicago,
    );
  });

  it('keeps the cluster zone for a TZ Intl does not know', () => {
    const stamp = formatQselectTime(since, 'America/Chicago');
    expect(modifiedSince(stamp, { TZ: 'CST6CDT,M3.2.0,M11.1.0' })).toEqual(inChicago);
  });

  it('misses the jobs when the stamp is in UTC but read in Chicago (the soak bug)', () => {
    // 6 h later than meant: nothing modified in the last hour qualifies
    expect(modifiedSince(formatQselectTime(since, 'UTC'), {})).toEqual([]);
  });
});
