/** Turns a pg connection error into a sentence a user can act on (URL password masked). */
export function describePgError(err: unknown, maskedUrl: string): string {
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  switch (e?.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
    case 'ECONNRESET':
      return `cannot reach the PostgreSQL server at ${maskedUrl}: ${msg}`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the credentials for ${maskedUrl}: ${msg}`;
    case '3D000':
      return `the PostgreSQL database in ${maskedUrl} does not exist: create it (createdb) and run \`pbs-monitor database init\``;
    default:
      if (/timeout/i.test(msg)) return `cannot reach the PostgreSQL server at ${maskedUrl}: ${msg}`;
      return `cannot open the PostgreSQL database ${maskedUrl}: ${msg}`;
  }
}
