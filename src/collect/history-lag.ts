/**
 * Warns when the job collection risks missing jobs: PBS purges a finished job once its history
 * duration has passed, so the interval, and any gap since the last successful jobs run, must stay
 * well below `job_history_duration`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { num } from './num.js';
import { getNumberState } from './state.js';

/** Share of the history duration at which a gap counts as approaching it. */
export const LAG_WARN_FRACTION = 0.5;

const hours = (s: number) => `${Math.round((s / 3600) * 10) / 10} h`;

/** The warning text for `daemon status`, or null when the collection keeps up with PBS's history. */
export async function historyLagWarning(
  db: Kysely<Database>,
  serverId: number,
  now: number,
): Promise<string | null> {
  const server = await db
    .selectFrom('servers')
    .select(['name', 'history_duration_s'])
    .where('id', '=', serverId)
    .executeTakeFirst();
  const duration = num(server?.history_duration_s);
  if (!server || duration === null || duration <= 0) return null;
  const last = await getNumberState(db, serverId, 'jobs.last_success');
  const interval = await getNumberState(db, serverId, 'jobs.interval');
  if (last !== null) {
    const gap = now - last;
    if (gap >= duration)
      return `no successful jobs collection for ${hours(gap)}, longer than the server's job_history_duration (${hours(duration)}): jobs that finished in between may be lost`;
    if (gap >= duration * LAG_WARN_FRACTION)
      return `no successful jobs collection for ${hours(gap)}: PBS forgets finished jobs after ${hours(duration)} (job_history_duration); collect soon or jobs will be lost`;
  }
  if (interval !== null && interval >= duration * LAG_WARN_FRACTION)
    return `the jobs collection interval (${hours(interval)}) approaches the server's job_history_duration (${hours(duration)}): shorten collection.job_interval`;
  return null;
}
