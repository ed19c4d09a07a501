import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/store/db-errors.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['ECONNREFUSED', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['a connection cut by pg', new Error('Connection terminated unexpectedly')],
    ['a pg connect timeout', new Error('timeout exceeded when trying to connect')],
    ['SQLSTATE 08006', withCode('08006', 'connection failure')],
    ['SQLSTATE 08P01', withCode('08P01')],
    ['admin shutdown 57P01', withCode('57P01')],
    ['crash shutdown 57P02', withCode('57P02')],
    ['cannot connect now 57P03', withCode('57P03')],
    ['too many connections 53300', withCode('53300')],
    ['SQLITE_BUSY', withCode('SQLITE_BUSY', 'database is locked')],
    ['SQLITE_BUSY_SNAPSHOT', withCode('SQLITE_BUSY_SNAPSHOT')],
    ['SQLITE_LOCKED', withCode('SQLITE_LOCKED')],
    ['SQLITE_FULL', withCode('SQLITE_FULL', 'database or disk is full')],
    ['SQLITE_IOERR_WRITE', withCode('SQLITE_IOERR_WRITE', 'disk I/O error')],
    ['SQLITE_CANTOPEN', withCode('SQLITE_CANTOPEN')],
    ['SQLITE_READONLY', withCode('SQLITE_READONLY', 'attempt to write a readonly database')],
    ['a wrapped cause', new Error('cannot open', { cause: withCode('ECONNREFUSED') })],
    ['an AggregateError of refusals', new AggregateError([withCode('ECONNREFUSED')], 'all failed')],
    ['a message string (collector result)', 'jobs: database or disk is full'],
    ['the probe timeout', 'database unavailable: no answer to a probe within 5000 ms'],
  ])('%s → unavailable', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    [
      'a unique violation 23505',
      withCode('23505', 'duplicate key value violates unique constraint'),
    ],
    ['a syntax error 42601', withCode('42601', 'syntax error at or near "x"')],
    ['SQLITE_CONSTRAINT', withCode('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed')],
    ['SQLITE_ERROR', withCode('SQLITE_ERROR', 'no such table: jobs')],
    ['a PBS error text', 'qstat: cannot connect to server pbs1 (errno=15010)'],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('%s → not a database outage', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('does not loop on a cyclic cause', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
