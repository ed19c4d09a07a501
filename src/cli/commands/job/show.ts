/** `job show <id>`: one job in full (qstat -x, so finished jobs show), then its stored lifecycle. */
import type { Deps } from '../../../deps.js';
import { NoResultsError } from '../../errors.js';
import type { Job } from '../../../pbs/types.js';
import type { ViewFlags } from '../../output/view-flags.js';
import { jobToRow, JOB_COLUMNS } from '../../output/job-row.js';
import { cellText } from '../../output/columns.js';
import { renderCsv } from '../../output/csv.js';
import { renderJson } from '../../output/json.js';
import { flattenRaw, renderRecord } from '../../output/record.js';
import { persistIfAsked, viewContext } from '../../output/view-support.js';

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

/** Shows one job; an id PBS does not know is NoResultsError (exit 1). */
export async function run(opts: JobShowOptions, deps: Deps): Promise<void> {
  const { loaded, pbs } = await viewContext(deps);
  const id = opts.id.trim();
  const parsed = await pbs.jobs({ finished: true, subjobs: /\[\d+\]/.test(id), ids: [id] });
  const job = parsed.items.find((j) => matchesId(j, id)) ?? parsed.items[0];
  if (!job)
    throw new NoResultsError(
      `job ${id} not found (PBS does not know it: finished jobs stay in PBS only for job_history_duration; try \`pbs-monitor history\` for older jobs)`,
    );
  const row = jobToRow(job);
  const lifecycle = await storedLifecycle(job.jobId, deps);
  if (opts.format === 'json') {
    deps.io.write(renderJson({ ...row, raw: job.raw, stored_lifecycle: lifecycle }));
  } else if (opts.format === 'csv') {
    deps.io.write(renderCsv([row], JOB_COLUMNS));
  } else {
    const pairs: Array<[string, string]> = JOB_COLUMNS.map((c) => [
      c.key,
      cellText(row[c.key], c.kind),
    ]);
    deps.io.write(renderRecord(pairs));
    deps.io.write('\nPBS attributes:\n');
    deps.io.write(renderRecord(flattenRaw(job.raw), '  '));
    if (lifecycle) {
      deps.io.write('\nStored lifecycle:\n');
      deps.io.write(
        renderRecord(
          Object.entries(lifecycle).map(([k, v]) => [
            k,
            typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v),
          ]),
          '  ',
        ),
      );
    }
  }
  await persistIfAsked({ jobs: { ...parsed, items: [job] } }, Boolean(opts.collect), loaded, deps);
}
