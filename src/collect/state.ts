/** Small per-server key/value state of the collectors (`collector_state`). */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** Reads one state value, or null. */
export async function getState(
  db: Kysely<Database>,
  serverId: number,
  key: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('collector_state')
    .select('value')
    .where('server_id', '=', serverId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value ?? null;
}

/** Reads a numeric state value, or null. */
export async function getNumberState(
  db: Kysely<Database>,
  serverId: number,
  key: string,
): Promise<number | null> {
  const v = await getState(db, serverId, key);
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Writes one state value (update, else insert: no reliance on a dialect's upsert syntax). */
export async function setState(
  db: Kysely<Database>,
  serverId: number,
  key: string,
  value: string,
  now: number,
): Promise<void> {
  const res = await db
    .updateTable('collector_state')
    .set({ value, updated_at: now })
    .where('server_id', '=', serverId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    await db
      .insertInto('collector_state')
      .values({ server_id: serverId, key, value, updated_at: now })
      .execute();
  }
}
