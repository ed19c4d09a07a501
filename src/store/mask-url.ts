/**
 * Hides the password of a database URL before it is shown or logged. The config module may ship
 * its own `maskUrl`; this one keeps the store free of that dependency.
 */
export function maskUrl(url: string): string {
  // userinfo password: scheme://user:secret@host
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/i, '$1:***@');
  // libpq also accepts ?password=… in the query string
  out = out.replace(/([?&]password=)[^&#]*/gi, '$1***');
  return out;
}
