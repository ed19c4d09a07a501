/**
 * Aligned text tables. On a terminal the table fits `width` (the widest flexible columns shrink
 * and their cells end in …); in a pipe it is full width. User text always goes through sanitizeCell.
 */
import { sanitizeCell } from './sanitize.js';
import { cellText, isNumeric, type ColumnSpec, type Row } from './columns.js';
import { paint, stateColour } from './colour.js';

export interface TableOptions {
  /** maximum line width; null = no limit (pipes) */
  width: number | null;
  colour: boolean;
  /** cap for the `name` column (display.max_name_length) */
  maxNameLength?: number | null;
}

const GAP = '  ';
const MIN_FLEX = 6;

/** Cuts text to `width` characters, ending in … when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

const len = (s: string) => [...s].length;

/** Renders rows as an aligned table with a header line; the last column is not padded. */
export function renderTable(rows: Row[], columns: ColumnSpec[], opts: TableOptions): string {
  const cells = rows.map((r) =>
    columns.map((c) => {
      let t = sanitizeCell(cellText(r[c.key], c.kind));
      if (c.key === 'name' && opts.maxNameLength) t = truncate(t, opts.maxNameLength);
      return t;
    }),
  );
  const widths = columns.map((c, i) =>
    Math.max(len(c.header), ...cells.map((row) => len(row[i]!))),
  );
  if (opts.width !== null) {
    const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
    // shrink the widest flexible column one step at a time until the table fits
    while (total() > opts.width) {
      let widest = -1;
      columns.forEach((c, i) => {
        const floor = Math.max(MIN_FLEX, Math.min(len(c.header), MIN_FLEX));
        if (c.flex && widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      });
      if (widest < 0) break;
      widths[widest]! -= 1;
    }
  }
  const line = (texts: string[], header: boolean) =>
    texts
      .map((t, i) => {
        const c = columns[i]!;
        const w = widths[i]!;
        const cut = truncate(t, w);
        const pad = ' '.repeat(Math.max(0, w - len(cut)));
        const last = i === texts.length - 1;
        let shown = cut;
        if (!header && opts.colour && c.kind === 'state' && cut) {
          const colour = stateColour(cut.split(',')[0]!);
          if (colour) shown = paint(cut, colour);
        }
        if (isNumeric(c.kind)) return pad + shown;
        return last ? shown : shown + pad;
      })
      .join(GAP)
      .replace(/\s+$/, '');
  const header = line(
    columns.map((c) => c.header),
    true,
  );
  const out = [opts.colour ? `\x1b[1m${header}\x1b[0m` : header];
  for (const row of cells) out.push(line(row, false));
  return out.join('\n') + '\n';
}
