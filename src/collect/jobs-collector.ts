/**
 * The jobs collector: live jobs and subjobs, plus the finished ones PBS still holds, compared with
 * what the database knew. Bounded cost: after the first (bootstrap) run only the ids `qselect`
 * reports modified since the last run are fetched with `-x`, one command per id up to a small
 * count (PBS quirk: `qstat -x -f -F json ID1 ID2` returns only ID1 on OpenPBS 23.06), else one
 * full dump filtered here.
 */
import { writeTransaction } from '../store/transaction.js';
import type { Job, Parsed } from '../pbs/types.js';
import type { CollectionContext } from './types.js';
import type { CollectorEnv, CollectorOutcome } from './collector-env.js';
import { loadLiveStored, recordJobs } from './job-record.js';
import { findServer, upsertServer } from './server-row.js';
import { getNumberState, getState, setState } from './state.js';
import { chunks } from './num.js';
import { mergeParsed } from '../pbs/merge-parsed.js';
import { refreshRollupsFor } from './aggregate.js';
import { historyLagWarning } from './history-lag.js';

/**
 * Above this many ids to fetch with -x, one full dump is cheaper than one command per id: on
 * OpenPBS 23.06 `qstat -x` costs ≈ 200 ms per call whatever its size, 4 calls run at once, and a
 * full dump at Aurora scale (~11,000 jobs in history) takes ~10 s to fetch and parse.
 */
export const FULL_DUMP_THRESHOLD = 200;
/** Ids per client call: the client fetches up to this many one command per id. */
const PER_ID_BATCH = 20;
/** Seconds subtracted from the last run time for `qselect -t m.gt.…` (clock skew, minute rounding). */
export const MODIFIED_SAFETY_MARGIN = 300;

export const LAST_SUCCESS_KEY = 'jobs.last_success';
export const INTERVAL_KEY = 'jobs.interval';
export const UNCOVERED_KEY = 'jobs.uncovered_windows';

/** Runs the jobs collector (and refreshes the server row). */
export async function collectJobs(
  ctx: CollectionContext,
  env: CollectorEnv,
): Promise<CollectorOutcome> {
  const now = ctx.clock.now();
  const serverParsed = env.parsed(await env.fetch(() => ctx.pbs.server()));
  const name =
    serverParsed.items[0]?.name ?? serverParsed.pbsServer ?? ctx.config.pbs.server ?? 'default';
  const known = await findServer(ctx.db, name);
  const lastSuccess = known ? await getNumberState(ctx.db, known.id, LAST_SUCCESS_KEY) : null;
  const duration = serverParsed.items[0]?.jobHistoryDuration ?? known?.historyDurationS ?? null;
  const notes: Record<string, unknown> = {};
  const lag = known ? await historyLagWarning(ctx.db, known.id, now) : null;
  if (lag) {
    notes.history_lag_warning = lag;
    ctx.logger.warn(`jobs: ${lag}`);
  }

  let jobs: Job[];
  let stored = known
    ? await env.timer.time('compare', () => loadLiveStored(ctx.db, known.id))
    : new Map();
  if (lastSuccess === null || !known) {
    notes.mode = 'bootstrap';
    const all = env.parsed(await env.fetch(() => ctx.pbs.jobs({ finished: true, subjobs: true })));
    jobs = all.items;
  } else {
    const live = env.parsed(await env.fetch(() => ctx.pbs.jobs({ subjobs: true })));
    const modified = await env.fetch(() =>
      ctx.pbs.selectModifiedSince(lastSuccess - MODIFIED_SAFETY_MARGIN),
    );
    const liveIds = new Set(live.items.map((j) => j.jobId));
    const wanted = new Set<string>();
    for (const id of modified) if (!liveIds.has(id)) wanted.add(id);
    // jobs we had as live that are gone from the live list: finished (or purged) since
    for (const id of stored.keys()) if (!liveIds.has(id)) wanted.add(id);
    const finalIds = await loadFinalIds(
      ctx,
      known.id,
      [...wanted].filter((id) => !stored.has(id)),
    );
    for (const id of finalIds) wanted.delete(id);
    notes.modified_ids = modified.length;
    notes.fetch_ids = wanted.size;
    let finished: Parsed<Job> | null = null;
    if (wanted.size > FULL_DUMP_THRESHOLD) {
      notes.mode = 'full-dump';
      const all = env.parsed(
        await env.fetch(() => ctx.pbs.jobs({ finished: true, subjobs: true })),
      );
      // keep subjobs of a wanted parent too: a whole array may have run between two runs
      finished = {
        ...all,
        items: all.items.filter(
          (j) =>
            !liveIds.has(j.jobId) &&
            !finalIds.has(j.jobId) &&
            (wanted.has(j.jobId) || (j.arrayParentId !== null && wanted.has(j.arrayParentId))),
        ),
      };
    } else if (wanted.size > 0) {
      notes.mode = 'per-id';
      const ids = [...wanted];
      const parts: Parsed<Job>[] = [];
      for (const batch of chunks(ids, PER_ID_BATCH))
        parts.push(
          env.parsed(
            await env.fetch(() => ctx.pbs.jobs({ finished: true, subjobs: true, ids: batch })),
          ),
        );
      finished = mergeParsed(parts);
    } else notes.mode = 'live-only';
    const byId = new Map<string, Job>();
    for (const j of live.items) byId.set(j.jobId, j);
    // fetched later, so newer: a job that finished between the two commands is recorded final
    for (const j of finished?.items ?? []) if (!finalIds.has(j.jobId)) byId.set(j.jobId, j);
    jobs = [...byId.values()];
  }

  env.checkTime();
  const result = await writeTransaction(ctx.db, async (trx) => {
    const server = await upsertServer(trx, serverParsed, now, name);
    if (!known) stored = new Map();
    const uncovered =
      lastSuccess !== null && duration !== null && now - lastSuccess > duration
        ? { from: lastSuccess, to: now - duration }
        : null;
    const rec = await recordJobs(
      trx,
      server.id,
      jobs,
      stored,
      { now, complete: true, lastSighting: lastSuccess },
      env.timer,
    );
    await env.timer.time('write', async () => {
      await setState(trx, server.id, LAST_SUCCESS_KEY, String(now), now);
      await setState(trx, server.id, INTERVAL_KEY, String(ctx.config.collection.job_interval), now);
      if (uncovered) {
        const prev = JSON.parse(
          (await getState(trx, server.id, UNCOVERED_KEY)) ?? '[]',
        ) as unknown[];
        prev.push([uncovered.from, uncovered.to]);
        await setState(trx, server.id, UNCOVERED_KEY, JSON.stringify(prev), now);
      }
    });
    return { server, rec, uncovered };
  });
  if (result.uncovered) {
    notes.uncovered_window = result.uncovered;
    ctx.logger.warn(
      {
        from: new Date(result.uncovered.from * 1000).toISOString(),
        to: new Date(result.uncovered.to * 1000).toISOString(),
      },
      'jobs: the gap since the last successful run exceeds the server history duration: jobs that ended in this window were purged by PBS before they could be recorded',
    );
  }
  const rollups = await env.timer.time('aggregate', () =>
    refreshRollupsFor(ctx, result.server.id, result.rec.touched),
  );
  if (rollups) notes.rollups = rollups;
  return {
    serverId: result.server.id,
    counts: { ...result.rec, notes: { ...notes, ...result.rec.notes } },
  };
}

/** Of `ids`, those the database already holds final (or gave up on): no need to fetch them. */
async function loadFinalIds(
  ctx: CollectionContext,
  serverId: number,
  ids: string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(ids, 500)) {
    const rows = await ctx.db
      .selectFrom('jobs')
      .select('job_id')
      .where('server_id', '=', serverId)
      .where('job_id', 'in', part)
      .where((eb) =>
        eb.or([
          eb('final_state_recorded', '=', 1),
          eb('lifecycle_quality', '=', 'final_state_missed'),
        ]),
      )
      .execute();
    for (const r of rows) out.add(r.job_id);
  }
  return out;
}
