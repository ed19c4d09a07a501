/**
 * RFC 4180 CSV with a header row. Text cells that a spreadsheet would run as a formula
 * (starting with = + - @ tab or CR) get a leading ' (CSV injection); numbers stay numbers.
 */
import { csvValue } from './json.js';
import type { ColumnSpec, Row } from './columns.js';

const FORMULA = /^[=+\-@\t\r]/;

/** One CSV field: neutralised if it could be a formula, quoted when needed. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = Array.isArray(value)
    ? value.map((v) => csvValue(v)).join(' ')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Renders rows as CSV (CRLF line ends, per RFC 4180). */
export function renderCsv(rows: Row[], columns: ColumnSpec[]): string {
  const lines = [columns.map((c) => csvField(c.key)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c.key])).join(','));
  return lines.join('\r\n') + '\r\n';
}
