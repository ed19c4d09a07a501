import { afterEach, describe, expect, it } from 'vitest';
import { runDaemonOverEmulatedTime, emulatorClock } from '../../src/daemon/emulated-run.js';
import { createDeps } from '../../src/deps.js';
import { captureIO } from '../../src/cli/io.js';
import { systemClock } from '../../src/util/clock.js';
import { canRun, makeRig, type Rig } from './process-rig.js';
import { emulatorRunner } from '../../src/daemon/emulator-runner.js';
import { PbsCommandError } from '../../src/pbs/errors.js';

describe('emulatorClock', () => {
  it('advances the emulator by whole seconds as it sleeps', async () => {
    let now = 1000;
    const advanced: number[] = [];
    const emu = {
      now: () => now,
      advance: (_d: string, s: number) => (advanced.push(s), (now += s)),
    };
    const c = emulatorClock('x', emu);
    expect(c.nowMs()).toBe(1_000_000);
    await c.sleep(1500);
    await c.sleep(600);
    await c.sleep(900_000);
    expect(advanced).toEqual([1, 1, 900]);
    expect(c.nowMs()).toBe(1_000_000 + 902_100);
    expect(now).toBe(1902);
  });
});

describe('emulatorRunner', () => {
  it('answers from the emulator in-process, mapping a failing exit to a typed PBS error', async () => {
    const seen: string[][] = [];
    const runner = emulatorRunner(
      '/c',
      (name, dir, argv) => {
        seen.push([name, dir, ...argv]);
        return argv[0] === '-B'
          ? {
              stdout: '',
              stderr: 'Connection refused\nqstat: cannot connect to server pbs1 (errno=15010)\n',
              code: 2,
            }
          : { stdout: '{"x":1}', stderr: '', code: 0 };
      },
      {},
    );
    const ok = await runner.run('qstat', ['-f', '-F', 'json']);
    expect(ok.stdout.toString()).toBe('{"x":1}');
    const err = await runner.run('qstat', ['-B']).catch((e: unknown) => e as PbsCommandError);
    expect(err).toBeInstanceOf(PbsCommandError);
    expect((err as PbsCommandError).message).toContain('cannot reach PBS server pbs1');
    expect(runner.takeTimings().map((t) => [t.command, t.bytes])).toEqual([
      ['qstat -f -F json', 7],
      ['qstat -B', 0],
    ]);
    expect(runner.takeTimings()).toEqual([]);
    expect(seen).toEqual([
      ['qstat', '/c', '-f', '-F', 'json'],
      ['qstat', '/c', '-B'],
    ]);
  });
});

describe.runIf(canRun)('runDaemonOverEmulatedTime', () => {
  let rig: Rig | null = null;
  afterEach(async () => {
    await rig?.dispose();
    rig = null;
  });

  it('runs the real schedule over emulated hours: every run logged, the cluster advanced', async () => {
    rig = await makeRig({});
    const io = captureIO();
    const deps = createDeps({
      io,
      clock: systemClock,
      env: rig.env,
      cwd: rig.dir,
      home: rig.dir,
      globals: { verbose: false, quiet: true, configPath: rig.cfgPath },
    });
    const emuStart = Number(rig.emu(['now', rig.cluster]));
    try {
      const summary = await runDaemonOverEmulatedTime({
        clusterDir: rig.cluster,
        days: 0.25,
        deps,
        intervals: { jobs: 3600, nodes: 7200 },
      });
      expect(summary.from).toBe(emuStart);
      expect(summary.to).toBe(emuStart + 6 * 3600);
      expect(Number(rig.emu(['now', rig.cluster]))).toBe(emuStart + 6 * 3600);
      // jobs at 0,1h..5h; nodes at 0,2h,4h (jitter is 0 in the rig's config)
      expect(summary.kinds.jobs).toMatchObject({ runs: 6, ok: 6, failed: 0, skipped: 0 });
      expect(summary.kinds.nodes).toMatchObject({ runs: 3, ok: 3 });
      expect(summary.runs).toBe(6);
      const rows = await rig.query((h) =>
        h.db
          .selectFrom('data_collection_log')
          .select(['kind', 'started_at'])
          .orderBy('id')
          .execute(),
      );
      expect(
        rows.filter((r) => r.kind === 'jobs').map((r) => Number(r.started_at) - emuStart),
      ).toEqual([0, 3600, 7200, 10800, 14400, 18000]);
      expect(
        rows.filter((r) => r.kind === 'nodes').map((r) => Number(r.started_at) - emuStart),
      ).toEqual([0, 7200, 14400]);
      expect(summary.kinds.jobs!.rowsInserted).toBeGreaterThan(0);
    } finally {
      await deps.close();
    }
  });
});
