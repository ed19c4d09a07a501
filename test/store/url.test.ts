import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/url.js';
import { UsageError } from '../../src/cli/errors.js';

describe('parseDatabaseUrl', () => {
  const home = '/home/alice';
  it('reads every SQLite form', () => {
    expect(parseDatabaseUrl('sqlite:///~/.pbs_monitor.db', home)).toEqual({
      dialect: 'sqlite',
      path: '/home/alice/.pbs_monitor.db',
    });
    expect(parseDatabaseUrl('sqlite:////abs/path.db', home)).toEqual({
      dialect: 'sqlite',
      path: '/abs/path.db',
    });
    expect(parseDatabaseUrl('sqlite:///relative.db', home, '/work/x')).toEqual({
      dialect: 'sqlite',
      path: '/work/x/relative.db',
    });
    expect(parseDatabaseUrl('sqlite:///sub/dir/h.db', home, '/w')).toEqual({
      dialect: 'sqlite',
      path: '/w/sub/dir/h.db',
    });
    expect(parseDatabaseUrl('sqlite://:memory:', home)).toEqual({ dialect: 'sqlite', path: null });
    expect(parseDatabaseUrl('sqlite:////tmp/a%20b.db', home)).toEqual({
      dialect: 'sqlite',
      path: '/tmp/a b.db',
    });
  });
  it('passes PostgreSQL URLs through', () => {
    for (const u of ['postgresql://u:p@db.example:5432/pbs', 'postgres://u@localhost/pbs']) {
      expect(parseDatabaseUrl(u, home)).toEqual({ dialect: 'postgres', connectionString: u });
    }
  });
  it('rejects other URLs with a usage error that masks the password', () => {
    const err = (() => {
      try {
        parseDatabaseUrl('mysql://root:hunter2@h/db', home);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('mysql://root:***@h/db');
    expect((err as Error).message).not.toContain('hunter2');
    expect(() => parseDatabaseUrl('sqlite://host/x.db', home)).toThrow(/three slashes/);
    expect(() => parseDatabaseUrl('sqlite://', home)).toThrow(UsageError);
  });
});
