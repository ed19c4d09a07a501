/** The `data_collection_log` row each collector run writes. */
import type { CollectionContext, CollectionResult } from './types.js';

/** Inserts the log row for one collector run. */
export async function writeLogRow(
  ctx: CollectionContext,
  serverId: number | null,
  r: CollectionResult,
  details: Record<string, unknown>,
): Promise<void> {
  let sid = serverId;
  if (sid === null) {
    // a failed run still names the server when the database knows only one
    const rows = await ctx.db.selectFrom('servers').select('id').limit(2).execute();
    if (rows.length === 1) sid = Number(rows[0]!.id);
  }
  await ctx.db
    .insertInto('data_collection_log')
    .values({
      server_id: sid,
      kind: r.kind,
      started_at: r.startedAt,
      duration_ms: r.durationMs,
      status: r.status,
      items_seen: r.itemsSeen,
      rows_inserted: r.rowsInserted,
      rows_updated: r.rowsUpdated,
      transitions: r.transitions,
      repairs: r.repairs,
      error: r.error,
      details: JSON.stringify(
        ctx.replayedFrom === undefined ? details : { ...details, replayed_from: ctx.replayedFrom },
      ),
    })
    .execute();
}
