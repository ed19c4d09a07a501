/** Hides passwords in database URLs before they are printed or logged. */

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)/i;

/** Splits `scheme://user:pass@host/…`; the last `@` before the query ends the user part (raw `@` in passwords happen). */
function userInfo(
  url: string,
): { head: string; user: string; pass: string | null; tail: string } | null {
  const m = SCHEME.exec(url);
  if (!m) return null;
  const rest = url.slice(m[1]!.length);
  const beforeQuery = rest.split('?')[0]!;
  const at = beforeQuery.lastIndexOf('@');
  if (at < 0) return null;
  const info = rest.slice(0, at);
  const colon = info.indexOf(':');
  return {
    head: m[1]!,
    user: colon < 0 ? info : info.slice(0, colon),
    pass: colon < 0 ? null : info.slice(colon + 1),
    tail: rest.slice(at),
  };
}

const QUERY_PASSWORD = /([?&](?:password|pass|pwd)=)[^&#]*/gi;

/**
 * Replaces the password of `scheme://user:password@host/…` and any `password=` query parameter
 * with `***`; a URL without a password comes back unchanged.
 */
export function maskUrl(url: string): string {
  const u = userInfo(url);
  const masked = u && u.pass !== null ? `${u.head}${u.user}:***${u.tail}` : url;
  return masked.replace(QUERY_PASSWORD, '$1***');
}

/** True when the URL carries a password (in the authority or as a query parameter). */
export function urlHasPassword(url: string): boolean {
  const u = userInfo(url);
  return Boolean(u?.pass) || /[?&](?:password|pass|pwd)=[^&#]/i.test(url);
}
