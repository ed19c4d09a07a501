import { describe, expect, it } from 'vitest';
import { formatPbsTime, parsePbsTime } from '../../../src/pbs/parse/index.js';

describe('parsePbsTime', () => {
  it('reads ctime text in UTC, with a space-padded day', () => {
    expect(parsePbsTime('Sun Jul 20 11:46:27 2025', 'UTC')).toBe(
      Date.UTC(2025, 6, 20, 11, 46, 27) / 1000,
    );
    expect(parsePbsTime('Fri Jul  1 14:42:57 2022', 'UTC')).toBe(
      Date.UTC(2022, 6, 1, 14, 42, 57) / 1000,
    );
    expect(parsePbsTime('Wed Aug 06 10:00:00 2025', 'UTC')).toBe(Date.UTC(2025, 7, 6, 10) / 1000);
  });

  it('passes epoch numbers through and maps UNKNOWN / junk to null', () => {
    expect(parsePbsTime(1795819597)).toBe(1795819597);
    expect(parsePbsTime('1795819597', 'UTC')).toBe(1795819597);
    expect(parsePbsTime('UNKNOWN', 'UTC')).toBeNull();
    expect(parsePbsTime('', 'UTC')).toBeNull();
    expect(parsePbsTime('Fri Foo  1 14:42:57 2022', 'UTC')).toBeNull();
    expect(parsePbsTime('Fri Jul  1 14:42:57 2022', 'Not/AZone')).toBeNull();
  });

  it('reads America/Chicago across the 2025 DST changes', () => {
    const tz = 'America/Chicago';
    // CST (UTC-6) before 9 March 2025 02:00, CDT (UTC-5) after.
    expect(parsePbsTime('Sun Mar  9 01:59:59 2025', tz)).toBe(
      Date.UTC(2025, 2, 9, 7, 59, 59) / 1000,
    );
    expect(parsePbsTime('Sun Mar  9 03:00:00 2025', tz)).toBe(Date.UTC(2025, 2, 9, 8, 0, 0) / 1000);
    expect(parsePbsTime('Wed Aug  6 10:00:00 2025', tz)).toBe(Date.UTC(2025, 7, 6, 15) / 1000);
    // 2 November 2025: 01:30 happens twice; back on CST afterwards.
    expect(parsePbsTime('Sun Nov  2 03:00:00 2025', tz)).toBe(Date.UTC(2025, 10, 2, 9) / 1000);
    const ambiguous = parsePbsTime('Sun Nov  2 01:30:00 2025', tz);
    expect([Date.UTC(2025, 10, 2, 6, 30) / 1000, Date.UTC(2025, 10, 2, 7, 30) / 1000]).toContain(
      ambiguous,
    );
    // The non-existent 02:30 on 9 March still maps to an instant, not null.
    expect(parsePbsTime('Sun Mar  9 02:30:00 2025', tz)).not.toBeNull();
  });
});

describe('formatPbsTime', () => {
  it('writes the ctime layout with a space-padded day', () => {
    expect(formatPbsTime(Date.UTC(2022, 6, 1, 14, 42, 57) / 1000, 'UTC')).toBe(
      'Fri Jul  1 14:42:57 2022',
    );
    expect(formatPbsTime(Date.UTC(2025, 7, 6, 15) / 1000, 'America/Chicago')).toBe(
      'Wed Aug  6 10:00:00 2025',
    );
    expect(formatPbsTime(Date.UTC(2025, 0, 16, 0, 5) / 1000, 'America/Chicago')).toBe(
      'Wed Jan 15 18:05:00 2025',
    );
  });

  it('round-trips through parsePbsTime, in a zone and in the machine zone', () => {
    for (let t = 1735689600; t < 1767225600; t += 86_399 * 3 + 17) {
      expect(parsePbsTime(formatPbsTime(t, 'America/Chicago'), 'America/Chicago')).toSatisfy(
        (v: number) => v === t || Math.abs(v - t) === 3600, // only the repeated DST hour is ambiguous
      );
      expect(parsePbsTime(formatPbsTime(t, 'UTC'), 'UTC')).toBe(t);
      expect(parsePbsTime(formatPbsTime(t))).toSatisfy(
        (v: number) => v === t || Math.abs(v - t) === 3600,
      );
    }
  });
});
