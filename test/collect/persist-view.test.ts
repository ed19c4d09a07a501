import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { FakeClock } from '../../src/util/clock.js';
import { persistView } from '../../src/collect/persist-view.js';
import {
  FakePbs,
  T0,
  makeJob,
  makeNode,
  makeQueue,
  makeServer,
  parsed,
  running,
} from './fake-pbs.js';
import { testDeps, urlOf } from './cli-deps.js';

for (const dialect of DIALECTS) {
  describe(`persistView (${dialect})`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    it('stores what a view showed, never taking absent jobs as vanished, and says so on stderr', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const pbs = new FakePbs();
      const clock = new FakeClock(T0);
      const deps = testDeps(urlOf(t), pbs, clock);
      try {
        await persistView(
          {
            jobs: parsed([makeJob(1), running(2, 5000)]),
            server: parsed([makeServer()]),
            queues: parsed([makeQueue('workq')]),
            nodes: parsed([makeNode('n1')]),
          },
          deps,
        );
        expect(deps.io.stderr()).toBe(
          'stored: 2 jobs (2 new, 3 transitions), 1 nodes (1 rows), 1 queues (1 rows) in pbs1\n',
        );
        // a filtered view without job 2: job 2 stays live
        clock.advance(60_000);
        await persistView({ jobs: parsed([makeJob(1, { state: 'H', substate: 20 })]) }, deps);
      } finally {
        await deps.close();
      }
      const rows = await db
        .selectFrom('jobs')
        .select(['job_id', 'state', 'lifecycle_quality'])
        .orderBy('seq')
        .execute();
      expect(rows).toEqual([
        { job_id: '1.pbs1', state: 'H', lifecycle_quality: 'complete' },
        { job_id: '2.pbs1', state: 'R', lifecycle_quality: 'partial' },
      ]);
      expect(pbs.calls).toEqual([]); // the server came with the view: PBS was not asked again
      const log = await db
        .selectFrom('data_collection_log')
        .select(['kind', 'status', 'items_seen'])
        .orderBy('id')
        .execute();
      expect(log).toEqual([
        { kind: 'jobs', status: 'ok', items_seen: 2 },
        { kind: 'nodes', status: 'ok', items_seen: 1 },
        { kind: 'queues', status: 'ok', items_seen: 1 },
        { kind: 'jobs', status: 'ok', items_seen: 1 },
      ]);
    });
  });
}
