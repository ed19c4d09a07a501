/** Records reservations: one row each (refreshed), a history row per state change, `gone` once vanished. */
import type { Kysely } from 'kysely';
import type { Reservation } from '../pbs/types.js';
import type { Database } from '../store/schema.js';
import type { RecordCounts, StepTimer } from './types.js';
import { req } from './num.js';

/** Writes `resvs`; with `complete`, stored reservations missing from the list are marked gone. */
export async function recordReservations(
  db: Kysely<Database>,
  serverId: number,
  resvs: Reservation[],
  now: number,
  complete: boolean,
  timer: StepTimer,
): Promise<RecordCounts> {
  const stored = await timer.time('compare', () =>
    db
      .selectFrom('reservations')
      .select(['id', 'resv_id', 'state', 'gone'])
      .where('server_id', '=', serverId)
      .execute(),
  );
  const byId = new Map(stored.map((r) => [r.resv_id, r]));
  const counts: RecordCounts = {
    itemsSeen: resvs.length,
    rowsInserted: 0,
    rowsUpdated: 0,
    transitions: 0,
    notes: {},
  };
  await timer.time('write', async () => {
    const seen = new Set<string>();
    for (const r of resvs) {
      seen.add(r.id);
      const cols = {
        name: r.name,
        owner: r.owner,
        state: r.state,
        queue: r.queue,
        start_time: r.start,
        end_time: r.end,
        duration_s: r.duration,
        node_count: r.nodes.length > 0 ? r.nodes.length : null,
        nodes: r.nodesText ?? (r.nodes.length > 0 ? r.nodes.join('+') : null),
        select_text: r.select,
        rrule: r.rrule,
        last_seen: now,
        gone: 0,
      };
      const prev = byId.get(r.id);
      let rowId: number;
      if (!prev) {
        const ins = await db
          .insertInto('reservations')
          .values({ ...cols, server_id: serverId, resv_id: r.id, first_seen: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        rowId = req(ins.id);
        counts.rowsInserted++;
      } else {
        rowId = req(prev.id);
        await db.updateTable('reservations').set(cols).where('id', '=', rowId).execute();
        counts.rowsUpdated++;
      }
      if (!prev || prev.state !== r.state) {
        await db
          .insertInto('reservation_history')
          .values({
            server_id: serverId,
            reservation_row_id: rowId,
            from_state: prev?.state ?? null,
            to_state: r.state ?? 'unknown',
            observed_at: now,
          })
          .execute();
        counts.rowsInserted++;
        counts.transitions++;
      }
    }
    if (complete) {
      for (const prev of stored) {
        if (seen.has(prev.resv_id) || req(prev.gone) === 1) continue;
        await db
          .updateTable('reservations')
          .set({ gone: 1 })
          .where('id', '=', req(prev.id))
          .execute();
        counts.rowsUpdated++;
      }
    }
  });
  return counts;
}
