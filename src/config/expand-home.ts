/** `~` in configured paths means the user's home folder. */
import { join } from 'node:path';

/** Expands a leading `~` or `~/` to `home`; other paths come back unchanged. */
export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}
