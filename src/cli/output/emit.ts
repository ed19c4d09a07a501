/** The one exporter behind every view's `--format table|json|csv`. */
import type { IO } from '../io.js';
import type { Config } from '../../config/schema.js';
import { renderTable } from './table.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import type { ColumnSpec, Row } from './columns.js';

import type { OutputFormat } from './formats.js';
export { FORMATS, type OutputFormat } from './formats.js';

export interface EmitOptions {
  format: OutputFormat;
  /** table and CSV columns, in order; JSON always carries every field of the rows */
  columns: ColumnSpec[];
  /** said on stderr under an empty table, e.g. "no jobs match" */
  emptyNote?: string;
}

/** Table width: the terminal's, capped by display.max_table_width; null (no limit) in a pipe. */
export function tableWidth(io: IO, config?: Config): number | null {
  if (io.columns === null) return null;
  const cap = config?.display.max_table_width ?? null;
  return cap === null ? io.columns : Math.min(io.columns, cap);
}

/** Colour only when the IO allows it and the config does not turn it off. */
export function useColour(io: IO, config?: Config): boolean {
  return io.colour && (config?.display.use_colors ?? true);
}

/** Writes rows to stdout in the chosen format. */
export function emitRows(io: IO, rows: Row[], opts: EmitOptions, config?: Config): void {
  if (opts.format === 'json') return io.write(renderJson(rows));
  if (opts.format === 'csv') return io.write(renderCsv(rows, opts.columns));
  io.write(
    renderTable(rows, opts.columns, {
      width: tableWidth(io, config),
      colour: useColour(io, config),
      maxNameLength: config?.display.max_name_length ?? null,
    }),
  );
  if (rows.length === 0 && opts.emptyNote) io.writeErr(`${opts.emptyNote}\n`);
}
