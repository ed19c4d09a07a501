/** The collection log: one row per collector run (duration, success, counts, error). */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, DataCollectionLogTable } from '../schema.js';

export type CollectionRun = Selectable<DataCollectionLogTable>;

/** Records a run; returns its id. */
export async function insertCollectionRun(
  db: Kysely<Database>,
  run: Insertable<DataCollectionLogTable>,
): Promise<number> {
  const r = await db
    .insertInto('data_collection_log')
    .values(run)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** The latest run of each kind (optionally of one server), keyed by kind. */
export async function lastRunPerKind(
  db: Kysely<Database>,
  serverId?: number,
): Promise<Map<string, CollectionRun>> {
  let latest = db
    .selectFrom('data_collection_log')
    .select(['kind', (eb) => eb.fn.max('id').as('max_id')])
    .groupBy('kind');
  if (serverId !== undefined) latest = latest.where('server_id', '=', serverId);
  const ids = (await latest.execute()).map((r) => Number(r.max_id));
  const out = new Map<string, CollectionRun>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('data_collection_log')
    .selectAll()
    .where('id', 'in', ids)
    .execute();
  for (const r of rows) out.set(r.kind, r);
  return out;
}

/** The latest run of one kind, or null. */
export async function lastRun(
  db: Kysely<Database>,
  kind: string,
  serverId?: number,
): Promise<CollectionRun | null> {
  let q = db.selectFrom('data_collection_log').selectAll().where('kind', '=', kind);
  if (serverId !== undefined) q = q.where('server_id', '=', serverId);
  return (
    (await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()) ??
    null
  );
}

/** Runs that failed or were partial, newest first. */
export async function recentErrors(
  db: Kysely<Database>,
  opts: { since?: number; limit?: number; serverId?: number } = {},
): Promise<CollectionRun[]> {
  let q = db.selectFrom('data_collection_log').selectAll().where('status', '!=', 'ok');
  if (opts.since !== undefined) q = q.where('started_at', '>=', opts.since);
  if (opts.serverId !== undefined) q = q.where('server_id', '=', opts.serverId);
  return q
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 20)
    .execute();
}
