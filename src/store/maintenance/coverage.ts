/**
 * Windows the job history may not cover: PBS keeps finished jobs for its job_history_duration, so
 * a gap between two successful job collections longer than that can have lost finished jobs.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** PBS's default job_history_duration (two weeks), when the server's is unknown. */
export const DEFAULT_HISTORY_DURATION_S = 14 * 86_400;

export interface UncoveredWindow {
  server: string;
  /** the last successful run before the gap, epoch seconds */
  from: number;
  /** the first successful run after it */
  to: number;
  /** the history duration that the gap exceeds */
  historyDurationS: number;
}

/** Gaps in the 'jobs' collection log longer than each server's history duration, oldest first. */
export async function uncoveredWindows(db: Kysely<Database>): Promise<UncoveredWindow[]> {
  const servers = await db
    .selectFrom('servers')
    .select(['id', 'name', 'history_duration_s'])
    .execute();
  const out: UncoveredWindow[] = [];
  for (const s of servers) {
    const limit = s.history_duration_s ?? DEFAULT_HISTORY_DURATION_S;
    const runs = await db
      .selectFrom('data_collection_log')
      .select('started_at')
      .where('server_id', '=', s.id)
      .where('kind', '=', 'jobs')
      .where('status', '!=', 'failed')
      .orderBy('started_at')
      .execute();
    for (let i = 1; i < runs.length; i++) {
      const from = Number(runs[i - 1]!.started_at);
      const to = Number(runs[i]!.started_at);
      if (to - from > limit) out.push({ server: s.name, from, to, historyDurationS: limit });
    }
  }
  return out;
}
