/**
 * The `--by` groupings of job analyses as SQL expressions over jobs `j`, with labels in a
 * stable order: node-count bins, requested-walltime bins, UTC hour of submission, or a column.
 */
import { sql, type RawBuilder } from 'kysely';
import { UsageError } from '../cli/errors.js';

export type JobGroupBy = 'none' | 'queue' | 'user' | 'project' | 'nodes' | 'walltime' | 'hour';

const NODE_BINS: Array<[number, string]> = [
  [1, '1'],
  [2, '2'],
  [4, '3-4'],
  [8, '5-8'],
  [16, '9-16'],
  [32, '17-32'],
  [64, '33-64'],
  [128, '65-128'],
];
const WALL_BINS: Array<[number, string]> = [
  [1800, '<=30m'],
  [3600, '<=1h'],
  [4 * 3600, '<=4h'],
  [12 * 3600, '<=12h'],
  [24 * 3600, '<=24h'],
  [48 * 3600, '<=48h'],
];

function binCase(col: string, bins: Array<[number, string]>): string {
  const whens = bins.map(([hi], i) => `WHEN ${col} <= ${hi} THEN ${i}`).join(' ');
  return `CASE WHEN ${col} IS NULL THEN -1 ${whens} ELSE ${bins.length} END`;
}

/** Checks a `--by` value against the allowed ones. */
export function parseBy<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  dflt: T,
): T {
  if (value === undefined) return dflt;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--by must be one of ${allowed.join(', ')}; got '${value}'`);
}

/** SQL expression giving the group key (text or bin index) for jobs aliased `j`. */
export function groupExpr(by: JobGroupBy): RawBuilder<unknown> {
  switch (by) {
    case 'none':
      return sql`'all'`;
    case 'queue':
      return sql`COALESCE(j.queue, '')`;
    case 'user':
      return sql`COALESCE(j.owner, '')`;
    case 'project':
      return sql`COALESCE(j.project, '')`;
    case 'nodes':
      return sql.raw(binCase('j.nodes', NODE_BINS));
    case 'walltime':
      return sql.raw(binCase('j.walltime_requested_s', WALL_BINS));
    case 'hour':
      return sql.raw('CAST((j.submit_time % 86400) / 3600 AS INTEGER)');
  }
}

/** Label of a group key returned by groupExpr. */
export function groupLabel(by: JobGroupBy, key: unknown): string {
  if (by === 'nodes' || by === 'walltime') {
    const bins = by === 'nodes' ? NODE_BINS : WALL_BINS;
    const i = Number(key);
    if (i < 0) return 'unknown';
    return bins[i]?.[1] ?? `>${bins[bins.length - 1]?.[1].replace('<=', '')}`;
  }
  if (by === 'hour') return `${String(Number(key)).padStart(2, '0')}:00`;
  return String(key ?? '');
}

/** Sort order of group keys: bins and hours numerically, names alphabetically. */
export function compareKeys(by: JobGroupBy, a: unknown, b: unknown): number {
  if (by === 'nodes' || by === 'walltime' || by === 'hour') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** The axis title of a `--by` grouping in plots (bins and hours say what they count). */
export function groupAxisTitle(by: JobGroupBy): string {
  if (by === 'nodes') return 'nodes requested';
  if (by === 'walltime') return 'walltime requested';
  if (by === 'hour') return 'hour of submission (UTC)';
  return groupColumn(by);
}

/** The column name a `--by` shows in output. */
export function groupColumn(by: JobGroupBy): string {
  return by === 'none' ? 'group' : by;
}
