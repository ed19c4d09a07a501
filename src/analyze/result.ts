/** The shape every analysis returns: one table plus notes, and how to plot it. */

export type Cell = string | number | null;

export interface AnalysisResult {
  title: string;
  columns: string[];
  rows: Array<Record<string, Cell>>;
  /** printed to stderr: how figures were computed (approximate percentiles, widened window …) */
  notes: string[];
  /** vega-lite spec for --plot (data values filled in), or null when there is nothing to draw */
  plot: Record<string, unknown> | null;
}
