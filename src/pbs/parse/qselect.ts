/** `qselect` output → job ids. */

/** Parses `qselect` output: one job id per line; blank lines ignored. */
export function parseQselect(input: string | Buffer): string[] {
  const textOut = typeof input === 'string' ? input : input.toString('utf8');
  const ids: string[] = [];
  for (const line of textOut.split('\n')) {
    const id = line.trim();
    if (id) ids.push(id);
  }
  return ids;
}
