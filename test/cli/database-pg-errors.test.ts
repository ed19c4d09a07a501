/**
 * A real PostgreSQL server refusing a connection, seen through the CLI: credentials it rejects and
 * a database it does not have give exit code 4, a sentence naming the cause, and the URL with its
 * password masked — never the password itself.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { PG_URL } from '../helpers/databases.js';

if (!PG_URL) console.log('note: PostgreSQL CLI error tests skipped (set PBS_MONITOR_TEST_PG_URL)');

function urlWith(change: (u: URL) => void): string {
  const u = new URL(PG_URL as string);
  change(u);
  return u.toString();
}

describe.runIf(PG_URL)('database commands against a PostgreSQL server that refuses', () => {
  it('credentials the server rejects: exit 4, "refused the credentials", password masked', () => {
    // trust auth accepts any password, but not a role that does not exist (SQLSTATE 28000)
    const url = urlWith((u) => {
      u.username = 'pbsmon_no_such_role';
      u.password = 'hunter2';
    });
    const r = runCli(['database', 'status'], { env: { PBS_MONITOR_DB_URL: url } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('PostgreSQL refused the credentials for postgresql://');
    expect(r.stderr).toContain('pbsmon_no_such_role:***@');
    expect(r.stderr).toContain('role "pbsmon_no_such_role" does not exist');
    expect(r.stderr + r.stdout).not.toContain('hunter2');
  });

  it('a missing database: exit 4, says how to create it, password masked', () => {
    const url = urlWith((u) => {
      u.pathname = '/pbsmon_no_such_db';
      u.password = 'hunter2';
    });
    const r = runCli(['history'], { env: { PBS_MONITOR_DB_URL: url } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('does not exist: create it (createdb)');
    expect(r.stderr).toContain(':***@');
    expect(r.stderr + r.stdout).not.toContain('hunter2');
  });
});
