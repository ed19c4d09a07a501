import { afterAll, describe, expect, it } from 'vitest';
import { advance, now } from '../../src/emulator/api.js';
import { pbs, tempCluster } from './_cluster.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function snapshot(seed: number, steps: number[]): string {
  const c = tempCluster({ preset: 'tiny', seed, historyHours: 12 });
  cleanups.push(c.cleanup);
  for (const s of steps) advance(c.dir, s);
  return [
    pbs(c.dir, 'qstat', '-x', '-f', '-F', 'json', '-t').out,
    pbs(c.dir, 'pbsnodes', '-a', '-F', 'json').out,
    pbs(c.dir, 'qstat', '-Q', '-f', '-F', 'json').out,
    pbs(c.dir, 'pbs_rstat', '-f').out,
  ].join('\n--\n');
}

describe('emulator determinism', () => {
  it('gives byte-identical output for the same seed and advances, whatever the split', () => {
    const a = snapshot(5, [7200]);
    const b = snapshot(5, [7200]);
    const split = snapshot(5, [900, 900, 1800, 3600]);
    expect(a.length).toBeGreaterThan(10_000);
    expect(b).toBe(a);
    expect(split).toBe(a);
  });

  it('gives different output for a different seed', () => {
    expect(snapshot(6, [7200])).not.toBe(snapshot(5, [7200]));
  });

  it('starts at the default fixed instant and advances by exact seconds', () => {
    const c = tempCluster({ preset: 'tiny', seed: 1, historyHours: 6 });
    cleanups.push(c.cleanup);
    expect(now(c.dir)).toBe(1748822400);
    expect(advance(c.dir, 900)).toBe(1748822400 + 900);
    expect(advance(c.dir, 0)).toBe(1748822400 + 900);
    expect(now(c.dir)).toBe(1748823300);
  });

  it('honours --start', () => {
    const c = tempCluster({ preset: 'tiny', seed: 1, historyHours: 6, start: 1700000000 });
    cleanups.push(c.cleanup);
    expect(now(c.dir)).toBe(1700000000);
    const j = JSON.parse(pbs(c.dir, 'qstat', '-f', '-F', 'json').out) as { timestamp: number };
    expect(j.timestamp).toBe(1700000000);
  });
});
