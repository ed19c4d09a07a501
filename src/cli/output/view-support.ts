/** What every live view shares: column choice, sorting, config notes and `--collect`. */
import { UsageError } from '../errors.js';
import type { Deps } from '../../deps.js';
import type { LoadedConfig } from '../../config/schema.js';
import type { ViewData } from '../../collect/persist-view.js';
import { selectColumns, type ColumnSpec, type Row } from './columns.js';

export interface ColumnChoice {
  all: ColumnSpec[];
  aliases: Record<string, string>;
  defaults: string[];
  /** --columns a,b,c (unknown names are a usage error) */
  cli?: string;
  /** display.default_*_columns (unknown names are skipped with a note under --verbose) */
  config?: string[] | null;
  /** the config key named in notes */
  configKey: string;
}

/** The columns to show: --columns, else the configured default, else the built-in default. */
export function chooseColumns(c: ColumnChoice, deps: Deps): ColumnSpec[] {
  if (c.cli !== undefined) {
    const { columns, unknown } = selectColumns(c.all, c.cli.split(','), c.aliases);
    if (unknown.length > 0 || columns.length === 0)
      throw new UsageError(
        `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ') || '(none given)'}; choose from: ${c.all.map((x) => x.key).join(', ')}`,
      );
    return columns;
  }
  if (c.config && c.config.length > 0) {
    const { columns, unknown } = selectColumns(c.all, c.config, c.aliases);
    if (unknown.length > 0 && deps.globals.verbose)
      deps.io.writeErr(
        `note: ${c.configKey}: no such column here: ${unknown.join(', ')} (skipped)\n`,
      );
    if (columns.length > 0) return columns;
  }
  return selectColumns(c.all, c.defaults).columns;
}

/** The field a --sort name refers to, or a usage error listing the choices. */
export function sortKey(name: string, all: ColumnSpec[], aliases: Record<string, string>): string {
  const { columns } = selectColumns(all, [name], aliases);
  if (columns.length === 0)
    throw new UsageError(
      `cannot sort by ${name}; choose from: ${all.map((x) => x.key).join(', ')}`,
    );
  return columns[0]!.key;
}

function compareValues(a: unknown, b: unknown): number {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(a) || empty(b)) return empty(a) ? (empty(b) ? 0 : 1) : -1; // blanks last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = Array.isArray(a) ? a.join(',') : String(a);
  const sb = Array.isArray(b) ? b.join(',') : String(b);
  return sa.localeCompare(sb, 'en', { numeric: true });
}

/** Stable sort by one field; blanks stay last when reversed too. */
export function sortRows<R extends Row>(rows: R[], key: string, reverse = false): R[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      const ex = x.r[key] === null || x.r[key] === undefined || x.r[key] === '';
      const ey = y.r[key] === null || y.r[key] === undefined || y.r[key] === '';
      if (ex !== ey) return ex ? 1 : -1;
      const c = compareValues(x.r[key], y.r[key]);
      return (reverse ? -c : c) || x.i - y.i;
    })
    .map((x) => x.r);
}

/** Prints config notes: warnings always (unless --quiet), the rest with --verbose. */
export function reportConfigNotes(loaded: LoadedConfig, deps: Deps): void {
  if (deps.globals.quiet) return;
  for (const note of loaded.notes) {
    if (note.startsWith('warning:')) deps.io.writeErr(`pbs-monitor: ${note}\n`);
    else if (deps.globals.verbose) deps.io.writeErr(`note: ${note}\n`);
  }
}

/** Loads the config and the PBS client for a view, reporting config notes once. */
export async function viewContext(deps: Deps) {
  const loaded = await deps.config();
  reportConfigNotes(loaded, deps);
  return { loaded, config: loaded.config, pbs: await deps.pbs() };
}

/**
 * After a view is shown: persist what it showed when `--collect` is given or
 * `database.auto_persist` is on. An explicit --collect fails loudly; auto-persist only warns.
 */
export async function persistIfAsked(
  data: ViewData,
  collect: boolean,
  loaded: LoadedConfig,
  deps: Deps,
): Promise<void> {
  if (!collect && !loaded.config.database.auto_persist) return;
  const { persistView } = await import('../../collect/persist-view.js');
  if (collect) return persistView(data, deps);
  try {
    await persistView(data, deps);
  } catch (err) {
    deps.io.writeErr(
      `pbs-monitor: warning: database.auto_persist: could not store this view: ${(err as Error).message}\n`,
    );
  }
}
