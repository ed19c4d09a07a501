/**
 * The aggregate step: refreshes the daily rollups for the UTC days a run touched. The rollups
 * module belongs to the analytics side; it is imported lazily and skipped while absent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { CollectionContext } from './types.js';
import { utcDay } from './num.js';

type RefreshRollups = (
  db: Kysely<Database>,
  serverId: number,
  fromDay: number,
  toDay: number,
) => Promise<void>;

let cached: RefreshRollups | null | undefined;

async function loadRefresh(): Promise<RefreshRollups | null> {
  if (cached !== undefined) return cached;
  try {
    // a variable specifier keeps tsc from requiring the module at build time
    const spec = '../analyze/rollups.js';
    const mod = (await import(spec)) as { refreshRollups?: RefreshRollups };
    cached = typeof mod.refreshRollups === 'function' ? mod.refreshRollups : null;
  } catch {
    cached = null;
  }
  return cached;
}

/** Refreshes the rollups over `touched`; returns the days refreshed, or null when skipped. */
export async function refreshRollupsFor(
  ctx: CollectionContext,
  serverId: number,
  touched: { from: number; to: number } | null,
): Promise<{ from_day: number; to_day: number } | null> {
  if (!touched) return null;
  const refresh = await loadRefresh();
  if (!refresh) {
    ctx.logger.debug('rollups: analyze/rollups.js is not available; aggregate step skipped');
    return null;
  }
  const fromDay = utcDay(touched.from);
  const toDay = utcDay(touched.to);
  try {
    await refresh(ctx.db, serverId, fromDay, toDay);
  } catch (err) {
    // the jobs are recorded; rollups can be rebuilt later, so this does not fail the run
    ctx.logger.warn({ err: (err as Error).message }, 'rollups: refresh failed');
    return null;
  }
  return { from_day: fromDay, to_day: toDay };
}
