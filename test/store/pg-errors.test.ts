import { describe, expect, it } from 'vitest';
import { describePgError } from '../../src/store/pg-errors.js';

const URL_ = 'postgresql://bob:***@db:5432/pbs';
const err = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('describePgError', () => {
  it('says what went wrong with the masked URL', () => {
    expect(
      describePgError(err('28P01', 'password authentication failed for user "bob"'), URL_),
    ).toBe(
      `PostgreSQL refused the credentials for ${URL_}: password authentication failed for user "bob"`,
    );
    expect(describePgError(err('3D000', 'database "pbs" does not exist'), URL_)).toBe(
      `the PostgreSQL database in ${URL_} does not exist: create it (createdb) and run \`pbs-monitor database init\``,
    );
    expect(describePgError(err('ENOTFOUND', 'getaddrinfo ENOTFOUND db'), URL_)).toBe(
      `cannot reach the PostgreSQL server at ${URL_}: getaddrinfo ENOTFOUND db`,
    );
    expect(
      describePgError(new Error('Connection terminated due to connection timeout'), URL_),
    ).toMatch(/^cannot reach the PostgreSQL server at /);
    expect(describePgError(err('XX000', 'odd'), URL_)).toBe(
      `cannot open the PostgreSQL database ${URL_}: odd`,
    );
  });
});
