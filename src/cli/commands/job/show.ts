/** `job show <id>`: one job in full (qstat -x, so finished jobs show), then its stored lifecycle. */
import type { Deps } from '../../../deps.js';
import { NoResultsError } from '../../errors.js';
import type { Job, Parsed } from '../../../pbs/types.js';
import type { ViewFlags } from '../../output/view-flags.js';
import { jobToRow, JOB_COLUMNS } from '../../output/job-row.js';
import { cellText } from '../../output/columns.js';
import { renderCsv } from '../../output/csv.js';
import { renderJson } from '../../output/json.js';
import { flattenRaw, renderRecord } from '../../output/record.js';
import { persistIfAsked, viewContext } from '../../output/view-support.js';
import { PbsCommandError, PbsError } from '../../../pbs/errors.js';
import { renderLifecycle } from './lifecycle-text.js';

export interface JobShowOptions extends ViewFlags {
  id: string;
}

/** Whether PBS's job `j` is the one the user named (`123` matches `123.server`). */
export function matchesId(j: Job, id: string): boolean {
  if (j.jobId === id || j.shortId === id) return true;
  return !id.includes('.') ? false : j.jobId.startsWith(`${id}.`) || id.startsWith(`${j.jobId}.`);
}

async function storedLifecycle(jobId: string, deps: Deps): Promise<Record<string, unknown> | null> {
  try {
    const { describeStoredLifecycle } = await import('../../../history/job-lifecycle.js');
    return await describeStoredLifecycle(jobId, deps);
  } catch (err) {
    deps.io.writeErr(`note: stored history not shown: ${(err as Error).message}\n`);
    return null;
  }
}

/** Asks PBS for the job; null when PBS does not know it (or cannot be reached: `reason`). */
async function fromPbs(
  id: string,
  deps: Deps,
): Promise<{ job: Job | null; parsed: Parsed<Job> | null; reason: string | null }> {
  const { pbs } = await viewContext(deps);
  try {
    const parsed = await pbs.jobs({ finished: true, subjobs: /\[\d+\]/.test(id), ids: [id] });
    const job = parsed.items.find((j) => matchesId(j, id)) ?? parsed.items[0] ?? null;
    return { job, parsed, reason: null };
  } catch (err) {
    // PBS unreachable: the stored history can still answer
    if (err instanceof PbsCommandError || err instanceof PbsError)
      return { job: null, parsed: null, reason: err.message };
    throw err;
  }
}

/**
 * Shows one job: PBS's view when PBS still knows it, and the stored lifecycle, which also covers
 * jobs PBS has long purged. Unknown to both is NoResultsError (exit 1).
 */
export async function run(opts: JobShowOptions, deps: Deps): Promise<void> {
  const { loaded } = await viewContext(deps);
  const id = opts.id.trim();
  const { job, parsed, reason } = await fromPbs(id, deps);
  const lifecycle = await storedLifecycle(job?.jobId ?? id, deps);
  if (!job && !lifecycle) {
    if (reason) throw new PbsError(reason, 'qstat');
    throw new NoResultsError(
      `job ${id} not found (neither PBS — finished jobs stay there only for job_history_duration — nor the history database knows it)`,
    );
  }
  if (!job && reason)
    deps.io.writeErr(`note: PBS not asked (${reason}); showing the stored history\n`);
  const row = job ? jobToRow(job) : null;
  if (opts.format === 'json') {
    deps.io.write(
      renderJson({
        ...(row ?? { job_id: lifecycle?.job_id ?? id }),
        raw: job?.raw ?? null,
        stored_lifecycle: lifecycle,
      }),
    );
  } else if (opts.format === 'csv') {
    if (row) deps.io.write(renderCsv([row], JOB_COLUMNS));
    else deps.io.write(renderCsv([lifecycle ?? {}], LIFECYCLE_CSV));
  } else {
    if (row) {
      const pairs: Array<[string, string]> = JOB_COLUMNS.map((c) => [
        c.key,
        cellText(row[c.key], c.kind),
      ]);
      deps.io.write(renderRecord(pairs));
      deps.io.write('\nPBS attributes:\n');
      deps.io.write(renderRecord(flattenRaw(job!.raw), '  '));
    } else {
      deps.io.write(`job_id  ${String(lifecycle?.job_id ?? id)}  (PBS no longer knows it)\n`);
    }
    if (lifecycle) {
      deps.io.write('\nStored lifecycle:\n');
      deps.io.write(renderLifecycle(lifecycle, deps.io.columns));
    }
  }
  if (job && parsed)
    await persistIfAsked(
      { jobs: { ...parsed, items: [job] } },
      Boolean(opts.collect),
      loaded,
      deps,
    );
}

const LIFECYCLE_CSV = [
  'job_id',
  'state',
  'lifecycle_quality',
  'submit_time',
  'eligible_time',
  'start_time',
  'end_time',
  'wait_time_s',
  'runtime_s',
  'nodes',
  'exit_status',
  'run_count',
].map((key) => ({ key, header: key, kind: 'text' as const }));
