/**
 * The race the soak found, made deterministic: the jobs collector (daemon or `collect`) loads the
 * stored live jobs, then waits on PBS; meanwhile a view's `jobs --collect` records the same state
 * changes and commits. The collector then writes against what it loaded before the view's commit
 * and records those transitions a second time, dated earlier (its clock reading was older).
 * The slow collector runs with a PBS directory whose job listing waits for a gate file.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binDir } from '../../src/emulator/api.js';
import { requireBuild } from '../cli/cli-setup.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { CLI } from '../helpers/paths.js';
import { makeRig, type Rig } from './rig.js';
import { checkHistory } from './soak-evidence.js';

beforeAll(() => requireBuild());

/** A copy of the emulator's PBS directory whose job listings (qstat without -B) wait for `go`. */
function gatedBin(rig: Rig): { dir: string; waiting: string; go: string } {
  const dir = join(rig.dir, 'gated-bin');
  const waiting = join(rig.dir, 'waiting');
  const go = join(rig.dir, 'go');
  mkdirSync(dir);
  const real = binDir(rig.cluster);
  for (const name of readdirSync(real)) {
    if (name !== 'qstat') {
      symlinkSync(join(real, name), join(dir, name));
      continue;
    }
    writeFileSync(
      join(dir, name),
      `#!/bin/sh\nif [ "$1" != "-B" ]; then\n  : > '${waiting}'\n  while [ ! -e '${go}' ]; do sleep 0.1; done\nfi\nexec '${join(real, name)}' "$@"\n`,
    );
    chmodSync(join(dir, name), 0o755);
  }
  return { dir, waiting, go };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const dialect of DIALECTS) {
  describe(`a collector and a view's --collect writing the same changes (${dialect})`, () => {
    let rig: Rig;
    let db: TestDatabase | undefined;
    beforeAll(async () => {
      db = dialect === 'postgres' ? await freshDatabase('postgres') : undefined;
      rig = makeRig({ dbUrl: db?.url, commandTimeout: 60 });
    }, 60_000);
    afterAll(async () => {
      rig?.cleanup();
      await db?.drop();
    });

    // Fixed in src/collect/job-record.ts: recordJobs re-reads the stored jobs inside its write
    // transaction, after a no-op UPDATE of the servers row that serialises job writers on PostgreSQL.
    it('records each transition once, in time order', async () => {
      expect(rig.cli(['collect']).code).toBe(0);
      rig.advance(4 * 3600); // jobs start and end: state changes for both writers to see
      const gate = gatedBin(rig);
      const slow = spawn(process.execPath, [CLI, 'collect', '--jobs'], {
        env: { ...rig.env, PBS_MONITOR_PBS_BIN: gate.dir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let slowErr = '';
      slow.stderr.on('data', (d: Buffer) => (slowErr += d.toString()));
      const slowExit = new Promise<number | null>((res) => slow.once('exit', (c) => res(c)));
      try {
        // the collector has loaded the stored jobs and waits on PBS
        await until(() => existsSync(gate.waiting), 30_000);
        // a later clock reading for the view (observed_at has 1 s resolution)
        await new Promise((r) => setTimeout(r, 1100));
        const view = rig.cli(['jobs', '--collect']);
        expect(view.code, view.stderr).toBe(0);
      } finally {
        writeFileSync(gate.go, '');
      }
      expect(await slowExit, slowErr).toBe(0);
      const history = await checkHistory(rig.dbUrl);
      expect({ repeats: history.repeats, chainBreaks: history.chainBreaks }).toEqual({
        repeats: 0,
        chainBreaks: 0,
      });
      const v = rig.cli(['database', 'validate']);
      expect(v.code, v.stdout + v.stderr).toBe(0);
    }, 90_000);
  });
}
