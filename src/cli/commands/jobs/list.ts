/** `jobs`: the live job list (qstat -f -F json), filtered, sorted and limited here. */
import type { Deps } from '../../../deps.js';
import { UsageError } from '../../errors.js';
import { emitRows } from '../../output/emit.js';
import type { ViewFlags } from '../../output/view-flags.js';
import {
  jobToRow,
  JOB_COLUMNS,
  DEFAULT_JOB_COLUMNS,
  JOB_COLUMN_ALIASES,
  type JobRow,
} from '../../output/job-row.js';
import {
  chooseColumns,
  persistIfAsked,
  sortKey,
  sortRows,
  viewContext,
} from '../../output/view-support.js';
import { compareJobIds } from '../../output/job-order.js';

export interface JobsOptions extends ViewFlags {
  user?: string;
  /** comma list of state letters */
  state?: string;
  queue?: string;
  /** substring of the project */
  project?: string;
  columns?: string;
  sort?: string;
  reverse?: boolean;
  limit?: number;
  finished?: boolean;
  subjobs?: boolean;
}

const STATES = new Set(['Q', 'H', 'W', 'T', 'R', 'E', 'S', 'U', 'B', 'X', 'F', 'M']);

/** Parses `-s R,Q` into a set of state letters; unknown letters are a usage error. */
export function parseStates(text: string): Set<string> {
  const letters = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = letters.filter((l) => !STATES.has(l));
  if (bad.length > 0 || letters.length === 0)
    throw new UsageError(
      `unknown job state ${bad.join(', ') || '(none given)'}; states are ${[...STATES].join(', ')}`,
    );
  return new Set(letters);
}

/** Shows the jobs matching the filters. */
export async function run(opts: JobsOptions, deps: Deps): Promise<void> {
  const states = opts.state !== undefined ? parseStates(opts.state) : null;
  const { loaded, config, pbs } = await viewContext(deps);
  const columns = chooseColumns(
    {
      all: JOB_COLUMNS,
      aliases: JOB_COLUMN_ALIASES,
      defaults: DEFAULT_JOB_COLUMNS,
      cli: opts.columns,
      config: config.display.default_job_columns,
      configKey: 'display.default_job_columns',
    },
    deps,
  );
  const sortBy =
    opts.sort !== undefined ? sortKey(opts.sort, JOB_COLUMNS, JOB_COLUMN_ALIASES) : null;
  const parsed = await pbs.jobs({
    finished: Boolean(opts.finished) || Boolean(states?.has('F') || states?.has('M')),
    subjobs: Boolean(opts.subjobs),
    user: opts.user,
  });
  const project = opts.project?.toLowerCase();
  const jobs = parsed.items.filter(
    (j) =>
      (!states || states.has(j.state)) &&
      (opts.queue === undefined || j.queue === opts.queue) &&
      (project === undefined || (j.project ?? '').toLowerCase().includes(project)),
  );
  let rows: JobRow[] = [...jobs].sort((a, b) => compareJobIds(a.jobId, b.jobId)).map(jobToRow);
  if (sortBy) rows = sortRows(rows, sortBy, opts.reverse);
  else if (opts.reverse) rows.reverse();
  if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
  emitRows(deps.io, rows, { format: opts.format, columns, emptyNote: 'no jobs match' }, config);
  await persistIfAsked({ jobs: parsed }, Boolean(opts.collect), loaded, deps);
}
