/** Small key/value state per server (e.g. the time of the last finished-job sweep). */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { upsertBatch } from '../batch.js';

/** The value stored under `key`, or null. */
export async function getCollectorState(
  db: Kysely<Database>,
  serverId: number,
  key: string,
): Promise<string | null> {
  const r = await db
    .selectFrom('collector_state')
    .select('value')
    .where('server_id', '=', serverId)
    .where('key', '=', key)
    .executeTakeFirst();
  return r?.value ?? null;
}

/** Stores `value` under `key` (replacing any previous value). */
export async function setCollectorState(
  db: Kysely<Database>,
  serverId: number,
  key: string,
  value: string,
  now: number,
): Promise<void> {
  await upsertBatch(
    db,
    'collector_state',
    [{ server_id: serverId, key, value, updated_at: now }],
    ['server_id', 'key'],
    ['value', 'updated_at'],
  );
}
