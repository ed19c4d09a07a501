/**
 * The PBS fault matrix with real processes: the built CLI collects from the emulator's executables
 * while each fault is in force, then again after it clears; nothing PBS showed may be lost.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../cli/cli-setup.js';
import { makeRig, truthProblems, type Rig } from './rig.js';

/** fault → exit code of `collect --jobs` during it, and the log row it leaves */
const MATRIX: Array<{
  kind: string;
  code: number;
  status: 'failed' | 'ok';
  repairs?: boolean;
  error?: RegExp;
  env?: Record<string, string>;
}> = [
  { kind: 'down', code: 3, status: 'failed', error: /cannot reach PBS server pbs-tiny/ },
  { kind: 'timeout', code: 3, status: 'failed', error: /timed out after 2 s and was killed/ },
  // slower than usual but inside pbs.command_timeout: a normal run
  { kind: 'slow', code: 0, status: 'ok', env: { PBS_EMU_SLOW_MS: '300' } },
  { kind: 'truncated', code: 1, status: 'failed', error: /unreadable output at byte \d+/ },
  { kind: 'garbage', code: 1, status: 'failed', error: /unreadable output at byte 0/ },
  { kind: 'empty', code: 1, status: 'failed', error: /empty output/ },
  { kind: 'bad-number', code: 0, status: 'ok', repairs: true },
  { kind: 'bad-escape', code: 0, status: 'ok', repairs: true },
  { kind: 'control-chars', code: 0, status: 'ok', repairs: true },
  { kind: 'latin1', code: 0, status: 'ok', repairs: true },
  { kind: 'unescaped-quote', code: 0, status: 'ok', repairs: true },
  { kind: 'duplicate-key', code: 0, status: 'ok', repairs: true },
  { kind: 'text-header', code: 0, status: 'ok', repairs: true },
];

let rig: Rig;
let firstAt: number;

beforeAll(() => {
  requireBuild();
  rig = makeRig();
  const first = rig.cli(['collect', '--jobs']);
  expect(first.code, first.stderr).toBe(0);
  firstAt = rig.now();
}, 60_000);

afterAll(() => rig?.cleanup());

describe('PBS faults during collect (real processes, emulator)', () => {
  for (const f of MATRIX) {
    it(`${f.kind}: exit ${f.code}, a ${f.status} log row${f.repairs ? ' with repairs' : ''}; the next run is clean`, async () => {
      rig.advance(600);
      rig.fault(f.kind);
      const during = rig.cli(['collect', '--jobs'], f.env);
      expect(during.code, during.stderr + during.stdout).toBe(f.code);
      const [row] = await rig.logRows(1);
      expect(row?.kind).toBe('jobs');
      expect(row?.status).toBe(f.status);
      if (f.error) expect(row?.error).toMatch(f.error);
      if (f.repairs) expect(row?.repairs).toBeGreaterThan(0);
      if (f.status === 'failed') expect(during.stderr).toMatch(/^pbs-monitor: /m);
      rig.fault('clear');
      rig.advance(600);
      const after = rig.cli(['collect', '--jobs']);
      expect(after.code, after.stderr).toBe(0);
      const [next] = await rig.logRows(1);
      expect(next).toMatchObject({ kind: 'jobs', status: 'ok', repairs: 0, error: null });
    }, 30_000);
  }

  it('leaves no PBS command running after a timeout kill', () => {
    const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    expect(ps.split('\n').filter((l) => l.includes(rig.cluster))).toEqual([]);
  });

  it('after every fault: database validate passes and every job PBS showed is stored once, in its true state', async () => {
    const v = rig.cli(['database', 'validate']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const stored = await rig.storedJobs();
    expect(stored.size).toBeGreaterThan(50);
    expect(truthProblems(rig, stored, firstAt, rig.now())).toEqual([]);
  }, 30_000);
});
