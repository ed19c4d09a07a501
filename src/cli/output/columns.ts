/** Column specs shared by the table and CSV exporters: one key = one JSON field name. */
import { formatDuration, formatSize, localTime } from './format-values.js';

/** What a row is: the documented snake_case fields of one item (what `--format json` prints). */
export type Row = Record<string, unknown>;

export type ColumnKind =
  'text' | 'int' | 'num' | 'duration' | 'size' | 'time' | 'state' | 'list' | 'bool';

export interface ColumnSpec {
  /** the row field (also what --columns and --sort accept) */
  key: string;
  header: string;
  kind: ColumnKind;
  /** may be shrunk and truncated with … when the table is too wide */
  flex?: boolean;
}

/** The table text of one cell (local times, humane durations and sizes). */
export function cellText(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'duration':
      return typeof value === 'number' ? formatDuration(value) : String(value);
    case 'size':
      return typeof value === 'number' ? formatSize(value) : String(value);
    case 'time':
      return localTime(value as string | number);
    case 'list':
      return Array.isArray(value) ? value.join(',') : String(value);
    case 'bool':
      return value === true ? 'yes' : value === false ? 'no' : String(value);
    default:
      if (Array.isArray(value)) return value.join(',');
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
  }
}

/** Right-aligned kinds. */
export function isNumeric(kind: ColumnKind): boolean {
  return kind === 'int' || kind === 'num' || kind === 'duration' || kind === 'size';
}

/**
 * Picks the columns named in `wanted` (field names or `aliases`), in that order; unknown names
 * are returned separately so the caller decides between an error and a note.
 */
export function selectColumns(
  all: ColumnSpec[],
  wanted: string[],
  aliases: Record<string, string> = {},
): { columns: ColumnSpec[]; unknown: string[] } {
  const byKey = new Map(all.map((c) => [c.key, c]));
  const columns: ColumnSpec[] = [];
  const unknown: string[] = [];
  for (const raw of wanted) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    const col = byKey.get(name) ?? byKey.get(aliases[name] ?? '');
    if (!col) unknown.push(raw.trim());
    else if (!columns.includes(col)) columns.push(col);
  }
  return { columns, unknown };
}
