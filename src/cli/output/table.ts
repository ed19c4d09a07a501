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
const len = (s: string) => [...s].length;
/** flexible columns first shrink to this, before any column is dropped */
const SOFT_FLOOR = 8;
/** and only then, if still too wide, down to this */
const HARD_FLOOR = 4;

/**
 * Chooses which columns to show and how wide, to fit `width`: shrink the widest flexible columns
 * (not the first, the row's key) to SOFT_FLOOR; then drop columns from the right (a terminal
 * table is for reading: --columns or --format picks others); then shrink anything flexible further.
 */
function fit(
  columns: ColumnSpec[],
  natural: number[],
  width: number | null,
): { shown: number[]; widths: number[] } {
  let shown = columns.map((_, i) => i);
  const widths = [...natural];
  if (width === null) return { shown, widths };
  const total = () =>
    shown.reduce((a, i) => a + widths[i]!, 0) + GAP.length * Math.max(0, shown.length - 1);
  const shrink = (floorOf: (i: number) => number, candidates: (i: number) => boolean) => {
    while (total() > width) {
      let widest = -1;
      for (const i of shown)
        if (
          candidates(i) &&
          widths[i]! > floorOf(i) &&
          (widest < 0 || widths[i]! > widths[widest]!)
        )
          widest = i;
      if (widest < 0) return;
      widths[widest]! -= 1;
    }
  };
  const soft = (i: number) => Math.min(natural[i]!, Math.max(SOFT_FLOOR, len(columns[i]!.header)));
  shrink(soft, (i) => i !== 0 && Boolean(columns[i]!.flex));
  while (total() > width && shown.length > 2) shown = shown.slice(0, -1);
  // dropping a column may leave room: give it back to the columns cut the most
  for (;;) {
    let most = -1;
    for (const i of shown)
      if (
        natural[i]! > widths[i]! &&
        (most < 0 || natural[i]! - widths[i]! > natural[most]! - widths[most]!)
      )
        most = i;
    if (most < 0 || total() >= width) break;
    widths[most]! += 1;
  }
  shrink(
    (i) => Math.min(natural[i]!, HARD_FLOOR),
    (i) => Boolean(columns[i]!.flex),
  );
  return { shown, widths: shown.map((i) => widths[i]!) };
}

/** Cuts text to `width` characters, ending in … when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

/** Renders rows as an aligned table with a header line; the last column is not padded. */
export function renderTable(rows: Row[], allColumns: ColumnSpec[], opts: TableOptions): string {
  let columns = allColumns;
  const cells = rows.map((r) =>
    columns.map((c) => {
      let t = sanitizeCell(cellText(r[c.key], c.kind));
      if (c.key === 'name' && opts.maxNameLength) t = truncate(t, opts.maxNameLength);
      return t;
    }),
  );
  const natural = columns.map((c, i) =>
    Math.max(len(c.header), ...cells.map((row) => len(row[i]!))),
  );
  const { shown, widths } = fit(columns, natural, opts.width);
  const pick = <T>(xs: T[]) => shown.map((i) => xs[i]!);
  columns = pick(columns);
  for (let r = 0; r < cells.length; r++) cells[r] = pick(cells[r]!);
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
      .trimEnd();
  const header = line(
    columns.map((c) => c.header),
    true,
  );
  const out = [opts.colour ? `\x1b[1m${header}\x1b[0m` : header];
  for (const row of cells) out.push(line(row, false));
  return out.join('\n') + '\n';
}
