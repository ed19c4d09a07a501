/**
 * The daemon as a real process under trouble: SIGTERM in the middle of a (slow) collection, a
 * second signal, and PBS down for a while.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { canRun, logLines, makeRig, waitFor, type Rig } from '../daemon/process-rig.js';
import { readStateFile } from '../../src/daemon/state-file.js';

const INTERVALS = {
  job_interval: 2,
  node_interval: 600,
  queue_interval: 600,
  snapshot_interval: 600,
  reservation_interval: 600,
};

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

const runLines = (rig: Rig) => logLines(rig).filter((l) => l.msg === 'collection run');

/** Every log row complete, and exactly one row per run the daemon logged. */
async function expectCompleteRuns(rig: Rig) {
  const rows = await rig.query((h) =>
    h.db
      .selectFrom('data_collection_log')
      .select(['kind', 'status', 'duration_ms'])
      .orderBy('id')
      .execute(),
  );
  for (const r of rows) {
    expect(['ok', 'partial', 'failed']).toContain(r.status);
    expect(Number(r.duration_ms)).toBeGreaterThanOrEqual(0);
  }
  const logged = runLines(rig)
    .map((l) => `${String(l.kind)}:${String(l.status)}`)
    .sort();
  expect(rows.map((r) => `${r.kind}:${r.status}`).sort()).toEqual(logged);
}

async function startedDaemon(rig: Rig, env: Record<string, string> = {}) {
  const child = rig.spawnDaemon(env);
  // the first round runs every collector once
  await waitFor('the first round of runs', () => runLines(rig).length >= 5, 40_000);
  return child;
}

describe.runIf(canRun)('daemon under trouble', () => {
  let rig: Rig | null = null;
  afterEach(async () => {
    await rig?.dispose();
    rig = null;
  });

  it('SIGTERM during a slow collection: the run finishes, exit 0, nothing half-written', async () => {
    rig = await makeRig(INTERVALS);
    const child = await startedDaemon(rig, { PBS_EMU_SLOW_MS: '1500' });
    const r = rig;
    r.emu(['fault', r.cluster, 'slow']);
    await waitFor('a run in flight', () =>
      readStateFile(`${r.pidFile}.state.json`)?.inFlight?.includes('jobs'),
    );
    const before = runLines(r).length;
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const lines = logLines(r);
    const stopAt = lines.findIndex(
      (l) => l.msg === 'stopping: no new runs; waiting for the run in flight',
    );
    expect(stopAt).toBeGreaterThan(0);
    // the run in flight was logged after the stop, then nothing new started
    expect(
      lines
        .slice(stopAt + 1)
        .filter((l) => l.msg === 'collection run')
        .map((l) => l.kind),
    ).toEqual(['jobs']);
    expect(runLines(r).length).toBe(before + 1);
    expect(lines.at(-1)).toMatchObject({ msg: 'daemon stopped' });
    expect(existsSync(r.pidFile)).toBe(false);
    expect(existsSync(`${r.dbPath}.lock`)).toBe(false);
    await expectCompleteRuns(r);
  });

  it('a second signal exits at once with 1', async () => {
    rig = await makeRig(INTERVALS);
    const r = rig;
    const child = await startedDaemon(r, { PBS_EMU_SLOW_MS: '3000' });
    r.emu(['fault', r.cluster, 'slow']);
    await waitFor('a run in flight', () =>
      readStateFile(`${r.pidFile}.state.json`)?.inFlight?.includes('jobs'),
    );
    child.kill('SIGTERM');
    await waitFor('the stop to be logged', () =>
      logLines(r).some((l) => l.msg?.toString().startsWith('stopping')),
    );
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(1);
    expect(logLines(r).at(-1)).toMatchObject({
      msg: 'second stop signal: exiting at once',
      signal: 'SIGTERM',
    });
  });

  it('PBS down for a while: runs are logged failed, collection resumes by itself', async () => {
    rig = await makeRig(INTERVALS);
    const r = rig;
    const child = await startedDaemon(r);
    r.emu(['fault', r.cluster, 'down', '--times', '3']);
    await waitFor('a failed jobs run', () =>
      runLines(r).some((l) => l.kind === 'jobs' && l.status === 'failed'),
    );
    await waitFor('an ok jobs run after the failure', () => {
      const jobs = runLines(r).filter((l) => l.kind === 'jobs');
      const firstFail = jobs.findIndex((l) => l.status === 'failed');
      return firstFail >= 0 && jobs.slice(firstFail).some((l) => l.status === 'ok');
    });
    const failed = runLines(r).find((l) => l.status === 'failed')!;
    expect(String(failed.error)).not.toBe('');
    const s = r.cli(['daemon', 'status', '--format', 'json']);
    expect(s.code).toBe(0);
    const st = JSON.parse(s.stdout) as { recentErrors: { kind: string; status: string }[] };
    expect(st.recentErrors.some((e) => e.kind === 'jobs' && e.status === 'failed')).toBe(true);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    await expectCompleteRuns(r);
  });
});
