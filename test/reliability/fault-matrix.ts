/**
 * The PBS fault matrix runner: one emulated cluster and database per matrix; for each fault the built
 * CLI collects while it is in force, then again after it clears; finally nothing PBS showed may be lost.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../cli/cli-setup.js';
import { makeRig, truthProblems, type Rig } from './rig.js';

/** One row: the fault kind, exit code of `collect --jobs` during it, and the log row it leaves. */
export interface FaultRow {
  kind: string;
  code: number;
  status: 'failed' | 'ok';
  repairs?: boolean;
  error?: RegExp;
  env?: Record<string, string>;
}

/** Declares the tests of one fault matrix. */
export function describeFaultMatrix(title: string, MATRIX: FaultRow[]): void {
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

  describe(title, () => {
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
}
