/** Renders a job's stored lifecycle (from history/job-lifecycle.ts) as text for `job show`. */
import { renderRecord } from '../../output/record.js';
import { renderTable } from '../../output/table.js';
import { cellText, type ColumnSpec } from '../../output/columns.js';

const SUMMARY: Array<[string, 'text' | 'time' | 'duration' | 'int' | 'list']> = [
  ['lifecycle_quality', 'text'],
  ['state', 'text'],
  ['submit_time', 'time'],
  ['eligible_time', 'time'],
  ['start_time', 'time'],
  ['end_time', 'time'],
  ['end_time_estimate', 'time'],
  ['end_time_min', 'time'],
  ['end_time_max', 'time'],
  ['wait_time_s', 'duration'],
  ['runtime_s', 'duration'],
  ['nodes', 'int'],
  ['exec_hosts', 'list'],
  ['exit_status', 'int'],
  ['run_count', 'int'],
  ['first_seen', 'time'],
  ['last_seen', 'time'],
];

const TRANSITIONS: ColumnSpec[] = [
  { key: 'change', header: 'TRANSITION', kind: 'text' },
  { key: 'pbs_time', header: 'PBS TIME', kind: 'time' },
  { key: 'observed_at', header: 'OBSERVED', kind: 'time' },
  { key: 'source', header: 'SOURCE', kind: 'text' },
  { key: 'queue', header: 'QUEUE', kind: 'text' },
  { key: 'run_count', header: 'RUN', kind: 'int' },
];

type Transition = {
  from_state: string | null;
  from_substate: number | null;
  to_state: string;
  to_substate: number | null;
  from_queue?: string | null;
  to_queue?: string | null;
  run_count: number | null;
  pbs_time: string | null;
  observed_at: string | null;
  source: string;
};

const st = (s: string | null, sub: number | null) =>
  s ? `${s}${sub !== null ? `/${sub}` : ''}` : '·';

/** The lifecycle as indented text: a summary block, then one row per transition. */
export function renderLifecycle(lc: Record<string, unknown>, width: number | null): string {
  const pairs: Array<[string, string]> = [];
  for (const [key, kind] of SUMMARY) {
    const v = lc[key];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    const text = cellText(v, kind);
    pairs.push([key, key.startsWith('end_time_') ? `~${text} (estimate)` : text]);
  }
  let out = renderRecord(pairs, '  ');
  const rows = ((lc.transitions as Transition[] | undefined) ?? []).map((t) => ({
    change: `${st(t.from_state, t.from_substate)} → ${st(t.to_state, t.to_substate)}`,
    pbs_time: t.pbs_time,
    observed_at: t.observed_at,
    source: t.source,
    queue: t.from_queue !== undefined ? `${t.from_queue ?? '·'} → ${t.to_queue ?? '·'}` : '',
    run_count: t.run_count,
  }));
  if (rows.length > 0) {
    out += '\n' + renderTable(rows, TRANSITIONS, { width, colour: false }).replace(/^/gm, '  ');
  }
  for (const note of (lc.notes as string[] | undefined) ?? []) out += `  note: ${note}\n`;
  return out;
}
