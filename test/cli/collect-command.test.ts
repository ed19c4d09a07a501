import { afterEach, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { FakeClock } from '../../src/util/clock.js';
import { PbsCommandError } from '../../src/pbs/errors.js';
import { UserError } from '../../src/cli/errors.js';
import { kindsOf, run } from '../../src/cli/commands/collect/run.js';
import { FakePbs, makeJob, makeNode, T0, finished } from '../collect/fake-pbs.js';
import { testDeps, urlOf } from '../collect/cli-deps.js';

const down = () =>
  new PbsCommandError('cannot reach PBS server pbs1', 'qstat', 255, 'Connection refused', '', true);

describe('collect flags', () => {
  it('defaults to every collector and picks the named ones', () => {
    expect(kindsOf({})).toEqual(['jobs', 'nodes', 'queues', 'system', 'reservations']);
    expect(kindsOf({ all: true, jobs: true })).toHaveLength(5);
    expect(kindsOf({ nodes: true, jobs: true })).toEqual(['jobs', 'nodes']);
  });
});

for (const dialect of DIALECTS) {
  describe(`collect command (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    it('prints one summary line per collector', async () => {
      t = await openTestDatabase(dialect);
      const pbs = new FakePbs();
      pbs.live = [makeJob(1), makeJob(2)];
      pbs.history = [finished(3, 100, 200)];
      pbs.nodeList = [makeNode('n1')];
      const deps = testDeps(urlOf(t), pbs, new FakeClock(T0));
      try {
        await run({ jobs: true, nodes: true }, deps);
      } finally {
        await deps.close();
      }
      const lines = deps.io.stdout().trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^jobs: ok 3 seen, 3 new, 5 transitions, 0 repairs, \d+\.\d s$/);
      expect(lines[1]).toMatch(
        /^nodes: ok 1 seen, 1 snapshot rows, 0 state changes, 0 repairs, \d+\.\d s$/,
      );
    });

    it('exits 1 when one collector failed and 3 when PBS is unreachable for all', async () => {
      t = await openTestDatabase(dialect);
      const pbs = new FakePbs();
      pbs.fail.nodes = [down(), down(), down()];
      const clock = new FakeClock(T0);
      const deps = testDeps(urlOf(t), pbs, clock);
      try {
        const e1 = await run({ jobs: true, nodes: true }, deps).catch((e: unknown) => e);
        expect(e1).toBeInstanceOf(UserError);
        expect((e1 as UserError).exitCode).toBe(1);
        expect(deps.io.stdout()).toMatch(
          /^nodes: failed after \d+\.\d s: cannot reach PBS server pbs1$/m,
        );
        pbs.fail.server = [down(), down(), down(), down(), down(), down()];
        pbs.fail.reservations = [down(), down(), down()];
        const e2 = await run({ jobs: true, reservations: true }, deps).catch((e: unknown) => e);
        expect((e2 as UserError).exitCode).toBe(3);
      } finally {
        await deps.close();
      }
    });
  });
}

describe('collect without a database', () => {
  it('says how to create it', async () => {
    const path = join(tmpdir(), `pbsmon-missing-${Date.now()}`, 'none.db');
    const deps = testDeps(`sqlite:///${path}`, new FakePbs(), new FakeClock(T0));
    const err = await run({}, deps).catch((e: unknown) => e);
    await deps.close();
    expect((err as Error).message).toMatch(/pbs-monitor database init/);
    expect((err as UserError).exitCode).toBe(4);
  });
});
