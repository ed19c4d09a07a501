/** PBS sizes and durations: `<n>[kmgtp](b|w)` → bytes, `[[h:]m:]s[.ms]` → seconds. */

const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*([kmgtpe]?)([bw]?)\s*$/i;
const SHIFT: Record<string, number> = {
  '': 1,
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
  p: 2 ** 50,
  e: 2 ** 60,
};

/** Parses a PBS size (`9692kb`, `8kw` = 8-byte words, bare number = bytes) into bytes; null when unreadable. */
export function parseSize(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : null;
  if (typeof text !== 'string') return null;
  const m = SIZE_RE.exec(text);
  if (!m) return null;
  const unit = SHIFT[(m[2] ?? '').toLowerCase()] ?? 1;
  const word = (m[3] ?? '').toLowerCase() === 'w' ? 8 : 1;
  return Math.round(Number(m[1]) * unit * word);
}

const DURATION_RE = /^\s*(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d*)?)\s*$/;

/** Parses a PBS duration `[[h:]m:]s[.ms]` (hours may exceed 24) into seconds; null when unreadable. */
export function parseDuration(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : null;
  if (typeof text !== 'string') return null;
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  const h = m[1] ? Number(m[1]) : 0;
  const min = m[2] ? Number(m[2]) : 0;
  const s = Number(m[3]);
  return h * 3600 + min * 60 + s;
}
