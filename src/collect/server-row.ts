/**
 * The `servers` row: found by name, created on first sight, refreshed from `qstat -B`
 * (version, job_history_duration) whenever the jobs collector runs.
 */
import { sql, type Kysely } from 'kysely';
import type { Parsed, Server } from '../pbs/types.js';
import type { Database } from '../store/schema.js';
import { num } from './num.js';

export interface ServerRow {
  id: number;
  name: string;
  version: string | null;
  historyDurationS: number | null;
}

/** Finds the server row by name. */
export async function findServer(db: Kysely<Database>, name: string): Promise<ServerRow | null> {
  const r = await db
    .selectFrom('servers')
    .select(['id', 'name', 'version', 'history_duration_s'])
    .where('name', '=', name)
    .executeTakeFirst();
  return r
    ? {
        id: Number(r.id),
        name: r.name,
        version: r.version,
        historyDurationS: num(r.history_duration_s),
      }
    : null;
}

/** Inserts or refreshes the server row from what `qstat -B` said; returns the row. */
export async function upsertServer(
  db: Kysely<Database>,
  parsed: Parsed<Server>,
  now: number,
  fallbackName: string,
): Promise<ServerRow> {
  const s = parsed.items[0];
  const name = s?.name ?? parsed.pbsServer ?? fallbackName;
  const version = s?.version ?? parsed.pbsVersion ?? null;
  const duration = s?.jobHistoryDuration ?? null;
  const existing = await findServer(db, name);
  if (existing) {
    await db
      .updateTable('servers')
      .set({
        version: version ?? existing.version,
        history_duration_s: duration ?? existing.historyDurationS,
        // a writer whose clock reading is older (it fetched before another committed) must not
        // move last_seen back
        last_seen: sql<number>`CASE WHEN last_seen > ${now} THEN last_seen ELSE ${now} END`,
      })
      .where('id', '=', existing.id)
      .execute();
    return {
      ...existing,
      version: version ?? existing.version,
      historyDurationS: duration ?? existing.historyDurationS,
    };
  }
  await db
    .insertInto('servers')
    .values({ name, version, history_duration_s: duration, first_seen: now, last_seen: now })
    .execute();
  const row = await findServer(db, name);
  if (!row) throw new Error(`could not create the server row for ${name}`);
  return row;
}

/**
 * The server a collector writes for: the row named by the output's `pbs_server` (or config
 * `pbs.server`, or the only row), refreshed from `qstat -B` when no row matches yet.
 */
export async function resolveServer(
  db: Kysely<Database>,
  fetchServer: () => Promise<Parsed<Server>>,
  hint: string | null,
  now: number,
): Promise<ServerRow> {
  if (hint) {
    const found = await findServer(db, hint);
    if (found) return found;
  } else {
    const rows = await db.selectFrom('servers').select('name').limit(2).execute();
    if (rows.length === 1) {
      const only = await findServer(db, rows[0]!.name);
      if (only) return only;
    }
  }
  const parsed = await fetchServer();
  return upsertServer(db, parsed, now, hint ?? 'default');
}
