/** Column value coercion: PostgreSQL returns BIGINT as text, SQLite as numbers. */

/** A stored number, or null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A stored number that must be present. */
export function req(v: unknown): number {
  return num(v) ?? 0;
}

/** Splits an array into chunks of `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** UTC midnight of an epoch second. */
export const utcDay = (t: number): number => Math.floor(t / 86400) * 86400;
