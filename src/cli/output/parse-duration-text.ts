/** Reads PBS duration text (`[[HH:]MM:]SS`, or plain seconds) for display; anything else → null. */
export function parseDurationText(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const t = String(text).trim();
  if (!/^\d+(:\d+){0,2}(\.\d+)?$/.test(t)) return null;
  return Math.round(t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0));
}
