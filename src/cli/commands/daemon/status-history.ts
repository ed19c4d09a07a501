/** What `daemon status` reads from the database: last run per collector, recent errors, lag warnings. */
import type { Deps } from '../../../deps.js';
import { COLLECTOR_KINDS, type CollectorKind } from '../../../daemon/collect-contract.js';

export interface LastRun {
  startedAt: number;
  status: string;
  durationMs: number;
  itemsSeen: number;
  rowsInserted: number;
  rowsUpdated: number;
  transitions: number;
  error: string | null;
}

export interface RecentError {
  kind: string;
  startedAt: number;
  status: string;
  error: string | null;
}

export interface CollectionHistory {
  database: string;
  last: Partial<Record<CollectorKind, LastRun>>;
  errors: RecentError[];
  warnings: string[];
  /** the database could not be read: why */
  error: string | null;
}

type LagFn = (db: unknown, serverId: number, now: number) => Promise<string | null>;

/** Reads the collection log; never throws (a missing database is reported, not fatal). */
export async function collectionHistory(deps: Deps, now: number): Promise<CollectionHistory> {
  const out: CollectionHistory = { database: '?', last: {}, errors: [], warnings: [], error: null };
  try {
    const h = await deps.dbHandle();
    out.database = h.maskedUrl;
    for (const kind of COLLECTOR_KINDS) {
      const r = await h.db
        .selectFrom('data_collection_log')
        .selectAll()
        .where('kind', '=', kind)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (r)
        out.last[kind] = {
          startedAt: Number(r.started_at),
          status: r.status,
          durationMs: Number(r.duration_ms),
          itemsSeen: Number(r.items_seen),
          rowsInserted: Number(r.rows_inserted),
          rowsUpdated: Number(r.rows_updated),
          transitions: Number(r.transitions),
          error: r.error,
        };
    }
    const errs = await h.db
      .selectFrom('data_collection_log')
      .select(['kind', 'started_at', 'status', 'error'])
      .where('status', '!=', 'ok')
      .where('started_at', '>=', now - 86400)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(5)
      .execute();
    out.errors = errs.map((e) => ({
      kind: e.kind,
      startedAt: Number(e.started_at),
      status: e.status,
      error: e.error,
    }));
    let lag: LagFn | null = null;
    try {
      lag =
        ((await import('../../../collect/run.js')) as { historyLagWarning?: LagFn })
          .historyLagWarning ?? null;
    } catch {
      lag = null; // the collection engine is not built: no lag check
    }
    if (lag) {
      const servers = await h.db.selectFrom('servers').select(['id', 'name']).execute();
      for (const s of servers) {
        const w = await lag(h.db, Number(s.id), now);
        if (w) out.warnings.push(servers.length > 1 ? `${s.name}: ${w}` : w);
      }
    }
  } catch (err) {
    out.error = err instanceof Error ? err.message : String(err);
  }
  return out;
}
