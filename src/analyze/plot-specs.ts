/** Vega-lite spec builders for the analyses' plots: titled axes with units, data inlined. */

type Spec = Record<string, unknown>;

export interface ChartInput {
  title: string;
  rows: Array<Record<string, unknown>>;
  x: string;
  xTitle: string;
  y: string;
  yTitle: string;
  color?: string;
  /** x is an epoch-seconds time field */
  time?: boolean;
  /** lineSpec: x holds UTC midnights, so label dates and tick at whole days */
  daily?: boolean;
}

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 640,
  height: 320,
  background: 'white',
  config: {
    font: 'DejaVu Sans, Arial, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12 },
  },
};

function enc(c: ChartInput, xType: string): Spec {
  const e: Spec = {
    x: {
      field: c.x,
      type: xType,
      title: c.xTitle,
      sort: null,
      ...(c.time ? { timeUnit: 'utcyearmonthdatehoursminutes' } : {}),
    },
    y: { field: c.y, type: 'quantitative', title: c.yTitle },
  };
  if (c.color) {
    // sort: null keeps the series in the order the analysis lists them (not alphabetical)
    e.color = {
      field: c.color,
      type: 'nominal',
      title: c.color,
      sort: null,
      legend: { labelLimit: 300 },
    };
    if (xType === 'nominal') e.xOffset = { field: c.color };
  }
  return e;
}

/** Grouped bar chart (categories on x). Null when there are no rows. */
export function barSpec(c: ChartInput): Spec | null {
  if (c.rows.length === 0) return null;
  const e = enc(c, 'nominal');
  const categories = new Set(c.rows.map((r) => r[c.x])).size;
  (e.x as Spec).axis = { labelAngle: categories <= 12 ? 0 : -45, labelLimit: 160 };
  return { ...BASE, title: c.title, data: { values: c.rows }, mark: { type: 'bar' }, encoding: e };
}

/** At most this many date ticks on a daily axis. */
const MAX_DAY_TICKS = 14;

/** Line chart over time (x in epoch seconds, drawn as UTC). Null when there are no rows. */
export function lineSpec(c: ChartInput): Spec | null {
  if (c.rows.length === 0) return null;
  const values = c.rows.map((r) => ({ ...r, [c.x]: Number(r[c.x]) * 1000 }));
  const e = enc(c, 'temporal');
  (e.x as Spec).timeUnit = undefined;
  (e.x as Spec).scale = { type: 'utc' }; // a utc scale also formats its labels in UTC
  if (c.daily) {
    // per-day figures: date labels on whole days (vega would otherwise tick every few hours)
    const days = new Set(values.map((v) => v[c.x])).size;
    (e.x as Spec).axis = {
      format: '%Y-%m-%d',
      labelAngle: -30,
      tickCount: { interval: 'day', step: Math.max(1, Math.ceil(days / MAX_DAY_TICKS)) },
    };
  } else {
    (e.x as Spec).axis = { format: '%Y-%m-%d %H:%M', labelAngle: -30 };
  }
  return {
    ...BASE,
    title: c.title,
    data: { values },
    mark: { type: 'line', point: values.length < 60 },
    encoding: e,
  };
}
