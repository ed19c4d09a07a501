import { afterEach, describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import { DIALECTS } from '../helpers/databases.js';
import { openTestDatabase, type TestDatabaseHandle } from '../helpers/open-test-db.js';
import { nodeStatesAt } from '../../src/store/node-history.js';
import { insertBatch } from '../../src/store/batch.js';
import { getOrCreateServer } from '../../src/store/repos/servers.js';
import type { NodeSnapshotsTable } from '../../src/store/schema.js';

const DAY = 86_400;
const T0 = 1_700_000_000 - (1_700_000_000 % DAY);

function row(
  sid: number,
  t: number,
  node: string,
  states: string,
  keyframe = false,
): Insertable<NodeSnapshotsTable> {
  return {
    server_id: sid,
    snapshot_time: t,
    node,
    states,
    ncpus: 64,
    ncpus_assigned: states === 'job-busy' ? 64 : 0,
    ngpus: null,
    ngpus_assigned: null,
    mem_bytes: null,
    mem_assigned_bytes: null,
    jobs: null,
    queue: null,
    comment: states === 'offline' ? 'hw repair' : null,
    resv: null,
    is_keyframe: keyframe ? 1 : 0,
  };
}

for (const dialect of DIALECTS) {
  describe(`nodeStatesAt [${dialect}]`, () => {
    let t: TestDatabaseHandle | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    it('reconstructs every node from the latest keyframe plus the changes after it', async () => {
      t = await openTestDatabase(dialect);
      const db = t.handle.db;
      const sid = await getOrCreateServer(db, 'pbs1', T0);
      const other = await getOrCreateServer(db, 'pbs2', T0);
      const nodes = ['n1', 'n2', 'n3', 'n4'];
      await insertBatch(db, 'node_snapshots', [
        // day 0 keyframe
        ...nodes.map((n) => row(sid, T0, n, 'free', true)),
        row(sid, T0 + 1800, 'n1', 'job-busy'),
        row(sid, T0 + 3600, 'n2', 'down'),
        row(sid, T0 + 3600, 'n1', 'free'),
        row(sid, T0 + 7200, 'n5', 'free'), // a node added during the day
        // day 1 keyframe: n2 still down, n3 offline (the change row was missed)
        row(sid, T0 + DAY, 'n1', 'free', true),
        row(sid, T0 + DAY, 'n2', 'down', true),
        row(sid, T0 + DAY, 'n3', 'offline', true),
        row(sid, T0 + DAY, 'n5', 'free', true),
        row(sid, T0 + DAY + 1800, 'n2', 'free'),
        // another server's rows never leak in
        row(other, T0 + 10, 'n1', 'down', true),
      ]);
      const at = async (s: number) =>
        (await nodeStatesAt(db, sid, s)).map(
          (r) => `${r.node}:${r.states}@${r.snapshot_time - T0}`,
        );

      expect(await at(T0 - 1)).toEqual([]);
      expect(await at(T0)).toEqual(['n1:free@0', 'n2:free@0', 'n3:free@0', 'n4:free@0']);
      expect(await at(T0 + 1799)).toEqual(['n1:free@0', 'n2:free@0', 'n3:free@0', 'n4:free@0']);
      expect(await at(T0 + 1800)).toEqual([
        'n1:job-busy@1800',
        'n2:free@0',
        'n3:free@0',
        'n4:free@0',
      ]);
      expect(await at(T0 + 5000)).toEqual([
        'n1:free@3600',
        'n2:down@3600',
        'n3:free@0',
        'n4:free@0',
      ]);
      expect(await at(T0 + DAY - 1)).toEqual([
        'n1:free@3600',
        'n2:down@3600',
        'n3:free@0',
        'n4:free@0',
        'n5:free@7200',
      ]);
      // the new keyframe wins: n4 vanished, n3's missed change is corrected
      expect(await at(T0 + DAY)).toEqual([
        `n1:free@${DAY}`,
        `n2:down@${DAY}`,
        `n3:offline@${DAY}`,
        `n5:free@${DAY}`,
      ]);
      expect(await at(T0 + 2 * DAY)).toEqual([
        `n1:free@${DAY}`,
        `n2:free@${DAY + 1800}`,
        `n3:offline@${DAY}`,
        `n5:free@${DAY}`,
      ]);
      const full = await nodeStatesAt(db, sid, T0 + DAY);
      expect(full.find((r) => r.node === 'n3')?.comment).toBe('hw repair');
    });
  });
}
