/**
 * What the soak reads back from job_history: transitions that break the chain (a transition whose
 * from_state is not the state the previous one went to: written from a stale view of the job),
 * exact repeats, and the full history of out-of-order jobs with the writer that logged each
 * observed_at (a collector run, or a view's --collect).
 */
import { tmpdir } from 'node:os';
import { defaultConfig } from '../../src/config/schema.js';
import { openDatabase } from '../../src/store/db.js';
import { silentLogger } from '../../src/util/logger.js';

interface HistoryRow {
  jobId: string;
  id: number;
  from: string | null;
  to: string;
  /** from/to substate, queues and run count: what makes R→R a new run, not a repeat */
  detail: string;
  eventTime: number | null;
  observedAt: number;
  source: string;
}

export interface HistoryCheck {
  transitions: number;
  /** from_state differs from the previous transition's to_state */
  chainBreaks: number;
  /**
   * a transition recorded twice in a row (same states, substates, queues and run count): the
   * stale writer's copy. R→R with run_count up is a rerun seen only after it restarted: not one.
   */
  repeats: number;
  /** one line per transition of the first few out-of-order jobs */
  outOfOrder: string[];
}

/** Reads job_history (and the jobs runs of the collection log) of the database at `url`. */
export async function checkHistory(url: string, sampleJobs = 5): Promise<HistoryCheck> {
  const h = await openDatabase({
    url,
    config: defaultConfig(),
    logger: silentLogger(),
    home: tmpdir(),
    requireCurrentSchema: false,
  });
  try {
    const rows = await h.db
      .selectFrom('job_history as h')
      .innerJoin('jobs as j', 'j.id', 'h.job_row_id')
      .select(['j.job_id', 'h.id', 'h.from_state', 'h.to_state', 'h.run_count'])
      .select(['h.from_substate', 'h.to_substate', 'h.from_queue', 'h.to_queue'])
      .select(['h.event_time', 'h.observed_at', 'h.source'])
      .orderBy('h.job_row_id')
      .orderBy('h.id')
      .execute();
    const log = await h.db
      .selectFrom('data_collection_log')
      .select(['started_at', 'details'])
      .where('kind', '=', 'jobs')
      .execute();
    const writers = new Map<number, Set<string>>();
    for (const l of log) {
      const who = (l.details ?? '').includes('"source":"view"') ? 'view' : 'collector';
      const at = Number(l.started_at);
      writers.set(at, (writers.get(at) ?? new Set()).add(who));
    }
    const byJob = new Map<string, HistoryRow[]>();
    for (const r of rows) {
      const row: HistoryRow = {
        jobId: r.job_id,
        id: Number(r.id),
        from: r.from_state,
        to: r.to_state,
        detail: [r.from_substate, r.to_substate, r.from_queue, r.to_queue, r.run_count].join('|'),
        eventTime: r.event_time === null ? null : Number(r.event_time),
        observedAt: Number(r.observed_at),
        source: r.source,
      };
      byJob.set(r.job_id, [...(byJob.get(r.job_id) ?? []), row]);
    }
    const check: HistoryCheck = {
      transitions: rows.length,
      chainBreaks: 0,
      repeats: 0,
      outOfOrder: [],
    };
    let sampled = 0;
    for (const list of byJob.values()) {
      let disordered = false;
      list.forEach((r, i) => {
        const prev = list[i - 1];
        if (prev && prev.from === r.from && prev.to === r.to && prev.detail === r.detail)
          check.repeats++;
        if (prev && prev.to !== r.from) check.chainBreaks++;
        if (prev && prev.observedAt > r.observedAt) disordered = true;
      });
      if (!disordered || sampled++ >= sampleJobs) continue;
      for (const r of list) {
        const who = [...(writers.get(r.observedAt) ?? [])].join('+') || '?';
        check.outOfOrder.push(
          `${r.jobId} #${r.id} ${r.from ?? '-'}→${r.to} event ${r.eventTime ?? '-'} observed ${r.observedAt} by ${who} (${r.source})`,
        );
      }
    }
    return check;
  } finally {
    await h.close();
  }
}
