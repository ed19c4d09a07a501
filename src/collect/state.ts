/** Small per-server key/value state of the collectors (`collector_state`), over the store's repo. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { getCollectorState, setCollectorState } from '../store/repos/collector-state.js';

/** Reads one state value, or null. */
export const getState = getCollectorState;

/** Writes one state value (replacing any previous one). */
export const setState = setCollectorState;

/** Reads a numeric state value, or null. */
export async function getNumberState(
  db: Kysely<Database>,
  serverId: number,
  key: string,
): Promise<number | null> {
  const v = await getCollectorState(db, serverId, key);
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
