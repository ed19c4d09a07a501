/** What a test can check of a rendered chart: its size, and whether anything was drawn on it. */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export interface PngFacts {
  width: number;
  height: number;
  /** distinct RGBA values */
  colours: number;
  /** pixels in vega's first series colour (#4c78a8): the bars or the line were drawn */
  firstSeriesPixels: number;
  /** share of pixels that are not white */
  inkShare: number;
}

/** Decodes the PNG at `file` (throws if it is not one). */
export function pngFacts(file: string): PngFacts {
  const png = PNG.sync.read(readFileSync(file));
  const colours = new Set<number>();
  let first = 0;
  let ink = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    colours.add(png.data.readUInt32BE(i));
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (Math.abs(r - 0x4c) + Math.abs(g - 0x78) + Math.abs(b - 0xa8) < 12) first++;
    if (r < 250 || g < 250 || b < 250) ink++;
  }
  return {
    width: png.width,
    height: png.height,
    colours: colours.size,
    firstSeriesPixels: first,
    inkShare: ink / (png.width * png.height),
  };
}

/** The width and height attributes of an SVG document. */
export function svgSize(text: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(text);
  if (!m) throw new Error('no svg width/height');
  return { width: Number(m[1]), height: Number(m[2]) };
}
