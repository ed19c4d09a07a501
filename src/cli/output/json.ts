/** JSON output: an array of row objects with documented snake_case fields, pretty-printed. */

/** Renders any value as indented JSON with a final newline. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A list element's text inside a CSV cell. */
export function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
