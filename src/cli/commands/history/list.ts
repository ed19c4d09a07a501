/** `history`: completed jobs from the database, filtered, sorted and limited. */
import type { Deps } from '../../../deps.js';
import { UsageError } from '../../errors.js';
import { emitRows, type OutputFormat } from '../../output/emit.js';
import { selectColumns, type Row } from '../../output/columns.js';
import { localTime } from '../../output/format-values.js';
import {
  queryHistory,
  SORT_KEYS,
  type HistoryQuery,
  type SortKey,
} from '../../../history/query.js';
import {
  DEFAULT_HISTORY_COLUMNS,
  HISTORY_COLUMNS,
  historyRow,
  pbsHistoryRow,
} from '../../../history/history-row.js';

export interface HistoryOptions {
  user?: string;
  project?: string;
  queue?: string;
  days: number;
  since?: string;
  until?: string;
  state: string;
  exitStatus?: number;
  columns?: string;
  sort?: string;
  reverse: boolean;
  limit: number;
  includePbsHistory: boolean;
  format: OutputFormat;
}

/** Epoch seconds from an ISO date/time (UTC when no zone is given) or epoch seconds. */
export function parseWhen(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t)
    ? `${t}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(t)
      ? t
      : `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms))
    throw new UsageError(`${flag}: cannot read "${text}" as an ISO date/time or epoch seconds`);
  return Math.floor(ms / 1000);
}

/** The state filter of -s: `completed` (default), `all`, or letters (F also takes X: ended subjobs). */
export function parseStates(text: string): HistoryQuery['states'] {
  const t = text.trim();
  if (t === 'completed') return 'completed';
  if (t.toLowerCase() === 'all') return 'all';
  const letters = t
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = letters.filter((l) => !/^[QHWTRESUBXFM]$/.test(l));
  if (bad.length > 0 || letters.length === 0)
    throw new UsageError(`--state: expected F, E, another PBS state letter or all, not "${text}"`);
  if (letters.includes('F') && !letters.includes('X')) letters.push('X');
  return letters;
}

/** Builds the query from the flags (usage errors for bad values). */
export function buildQuery(opts: HistoryOptions, now: number): HistoryQuery {
  if (opts.sort !== undefined && !(SORT_KEYS as readonly string[]).includes(opts.sort))
    throw new UsageError(`--sort: expected one of ${SORT_KEYS.join(', ')}, not "${opts.sort}"`);
  const since =
    opts.since !== undefined
      ? parseWhen(opts.since, '--since')
      : now - Math.round(opts.days * 86400);
  const until = opts.until !== undefined ? parseWhen(opts.until, '--until') : undefined;
  if (until !== undefined && until < since) throw new UsageError('--until is before --since');
  return {
    user: opts.user,
    project: opts.project,
    queue: opts.queue,
    since,
    until,
    states: parseStates(opts.state),
    exitStatus: opts.exitStatus,
    sort: (opts.sort as SortKey | undefined) ?? null,
    reverse: opts.reverse,
    limit: opts.limit,
  };
}

/** Merges finished jobs live PBS still holds and the database lacks (same filters applied). */
async function pbsOnlyRows(
  deps: Deps,
  known: Set<string>,
  q: HistoryQuery,
  have: Set<string>,
): Promise<Row[]> {
  const pbs = await deps.pbs();
  const parsed = await pbs.jobs({ finished: true, subjobs: true });
  const rows: Row[] = [];
  for (const j of parsed.items) {
    if (known.has(j.jobId) || have.has(j.jobId)) continue;
    if (!['F', 'X', 'M'].includes(j.state) && q.states === 'completed') continue;
    if (Array.isArray(q.states) && !q.states.includes(j.state)) continue;
    if (q.user && j.owner !== q.user) continue;
    if (q.project && j.project !== q.project) continue;
    if (q.queue && j.queue !== q.queue) continue;
    if (q.exitStatus !== undefined && j.exitStatus !== q.exitStatus) continue;
    const end = j.obittime ?? j.historyTimestamp;
    if (q.since !== undefined && end !== null && end < q.since) continue;
    if (q.until !== undefined && end !== null && end > q.until) continue;
    rows.push(pbsHistoryRow(j));
  }
  return rows;
}

/** Lists the jobs. */
export async function run(opts: HistoryOptions, deps: Deps): Promise<void> {
  const { config } = await deps.config();
  const q = buildQuery(opts, deps.clock.now());
  const wanted = opts.columns
    ? opts.columns.split(',')
    : (config.display.default_job_columns ?? DEFAULT_HISTORY_COLUMNS);
  const { columns, unknown } = selectColumns(HISTORY_COLUMNS, wanted, {
    wait_time: 'wait_time_s',
    runtime: 'runtime_s',
  });
  if (unknown.length > 0 && opts.columns)
    throw new UsageError(
      `--columns: unknown column(s) ${unknown.join(', ')}; known: ${HISTORY_COLUMNS.map((c) => c.key).join(', ')}`,
    );
  const db = await deps.db();
  let rows = (await queryHistory(db, q)).map(historyRow);
  if (opts.includePbsHistory) {
    const have = new Set(rows.map((r) => String(r.job_id)));
    const stored = new Set(
      (
        await db.selectFrom('jobs').select('job_id').where('final_state_recorded', '=', 1).execute()
      ).map((r) => r.job_id),
    );
    const extra = await pbsOnlyRows(deps, stored, q, have);
    if (extra.length > 0) {
      rows = [...rows, ...extra];
      if (q.limit > 0) rows = rows.slice(0, q.limit);
      if (extra.length > 0)
        deps.io.writeErr(`note: ${extra.length} job(s) from live PBS not yet in the database\n`);
    }
  }
  const shown =
    opts.format === 'table'
      ? rows.map((r) => ({
          ...r,
          // an estimated end is marked, never shown as exact
          end_time: r.end_time
            ? `${r.end_time_estimated ? '~' : ''}${localTime(r.end_time as string)}`
            : null,
        }))
      : rows;
  emitRows(deps.io, shown, { format: opts.format, columns, emptyNote: 'no jobs match' }, config);
}
