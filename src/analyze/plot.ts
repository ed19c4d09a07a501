/**
 * Renders a vega-lite spec headless: vega-lite → vega → View.toSVG() → PNG via @resvg/resvg-js.
 * The file extension picks the format (.svg or .png).
 */
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../cli/errors.js';

/** Renders the spec to SVG text. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders the spec to PNG bytes (white background, 2× scale for legibility). */
export async function renderPng(spec: Record<string, unknown>): Promise<Uint8Array> {
  const svg = await renderSvg(spec);
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

/** Writes the plot to `file` (.png or .svg). */
export async function writePlot(spec: Record<string, unknown>, file: string): Promise<void> {
  const lower = file.toLowerCase();
  if (lower.endsWith('.svg')) await writeFile(file, await renderSvg(spec));
  else if (lower.endsWith('.png')) await writeFile(file, await renderPng(spec));
  else throw new UsageError(`--plot: the file name must end in .png or .svg, got '${file}'`);
}
