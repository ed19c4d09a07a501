/** The `servers` table: one row per PBS server seen. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, ServersTable } from '../schema.js';

export interface ServerFacts {
  version?: string | null;
  historyDurationS?: number | null;
}

/** The id of server `name`, creating it if new; updates last_seen and any facts given. */
export async function getOrCreateServer(
  db: Kysely<Database>,
  name: string,
  now: number,
  facts: ServerFacts = {},
): Promise<number> {
  const row = await db
    .insertInto('servers')
    .values({
      name,
      version: facts.version ?? null,
      history_duration_s: facts.historyDurationS ?? null,
      first_seen: now,
      last_seen: now,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        last_seen: eb.ref('excluded.last_seen'),
        // an unknown fact (null) keeps what was known
        version: eb.fn.coalesce(eb.ref('excluded.version'), eb.ref('servers.version')),
        history_duration_s: eb.fn.coalesce(
          eb.ref('excluded.history_duration_s'),
          eb.ref('servers.history_duration_s'),
        ),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Every server, by name. */
export async function listServers(db: Kysely<Database>): Promise<Selectable<ServersTable>[]> {
  return db.selectFrom('servers').selectAll().orderBy('name').execute();
}

/** The server called `name`, or null. */
export async function findServer(
  db: Kysely<Database>,
  name: string,
): Promise<Selectable<ServersTable> | null> {
  return (
    (await db.selectFrom('servers').selectAll().where('name', '=', name).executeTakeFirst()) ?? null
  );
}
