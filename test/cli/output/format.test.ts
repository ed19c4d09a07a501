import { describe, expect, test } from 'vitest';
import {
  formatDuration,
  formatSize,
  isoUtc,
  localTime,
} from '../../../src/cli/output/format-values.js';
import { renderTable, truncate } from '../../../src/cli/output/table.js';
import { csvField, renderCsv } from '../../../src/cli/output/csv.js';
import type { ColumnSpec } from '../../../src/cli/output/columns.js';
import { compareJobIds } from '../../../src/cli/output/job-order.js';
import { sortRows } from '../../../src/cli/output/view-support.js';

describe('values', () => {
  test('durations', () => {
    expect(formatDuration(0)).toBe('00:00:00');
    expect(formatDuration(3723)).toBe('01:02:03');
    expect(formatDuration(86400 + 2 * 3600 + 3 * 60 + 4)).toBe('1d 02:03:04');
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(-5)).toBe('-00:00:05');
  });
  test('sizes', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536 * 1024 * 1024)).toBe('1.5 GiB');
    expect(formatSize(24 * 1024 ** 3)).toBe('24 GiB');
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(null)).toBe('');
  });
  test('times', () => {
    expect(isoUtc(1795819675)).toBe('2026-11-27T22:47:55Z');
    expect(isoUtc(null)).toBeNull();
    expect(localTime(1795819675, 'UTC')).toBe('2026-11-27 22:47');
    expect(localTime('2026-11-27T22:47:55Z', 'America/Chicago')).toBe('2026-11-27 16:47');
  });
});

const COLS: ColumnSpec[] = [
  { key: 'id', header: 'ID', kind: 'text' },
  { key: 'name', header: 'NAME', kind: 'text', flex: true },
  { key: 'state', header: 'S', kind: 'state' },
  { key: 'n', header: 'N', kind: 'int' },
];

describe('table', () => {
  const rows = [
    { id: '1.srv', name: 'a-rather-long-job-name-here', state: 'R', n: 1 },
    { id: '22.srv', name: 'short', state: 'Q', n: 128 },
  ];
  test('full width in a pipe, numbers right-aligned, no trailing spaces', () => {
    expect(renderTable(rows, COLS, { width: null, colour: false })).toBe(
      'ID      NAME                         S    N\n' +
        '1.srv   a-rather-long-job-name-here  R    1\n' +
        '22.srv  short                        Q  128\n',
    );
  });
  test('shrinks the flexible column to fit, ending cut cells in …', () => {
    const out = renderTable(rows, COLS, { width: 30, colour: false });
    expect(out).toBe(
      'ID      NAME            S    N\n' +
        '1.srv   a-rather-long…  R    1\n' +
        '22.srv  short           Q  128\n',
    );
    for (const line of out.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(30);
  });
  test('too narrow even then: columns are dropped from the right, the key column stays whole', () => {
    expect(renderTable(rows, COLS, { width: 20, colour: false })).toBe(
      'ID      NAME       S\n' + '1.srv   a-rather…  R\n' + '22.srv  short      Q\n',
    );
  });
  test('colours state letters only when asked', () => {
    const out = renderTable(rows, COLS, { width: null, colour: true });
    expect(out).toContain('\x1b[32mR\x1b[0m');
    expect(out).toContain('\x1b[33mQ\x1b[0m');
  });
  test('control characters and bidi overrides in user text are shown escaped', () => {
    const out = renderTable(
      [{ id: '1', name: 'evil\x1b[31mred\u202etxt.exe', state: 'R', n: 1 }],
      COLS,
      {
        width: null,
        colour: false,
      },
    );
    expect(out).toContain('evil\\x1b[31mred\\u202etxt.exe');
    expect(out).not.toContain('\x1b');
  });
  test('max name length', () => {
    expect(
      renderTable([{ id: '1', name: 'abcdefghij', state: 'R', n: 1 }], COLS, {
        width: null,
        colour: false,
        maxNameLength: 5,
      }),
    ).toContain('abcd…');
  });
  test('truncate', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

describe('csv', () => {
  test('RFC 4180 quoting, CRLF, header row', () => {
    expect(renderCsv([{ id: 'a,b', name: 'say "hi"', state: 'R', n: 3 }], COLS)).toBe(
      'id,name,state,n\r\n"a,b","say ""hi""",R,3\r\n',
    );
  });
  test('formula-like text is neutralised; negative numbers stay numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-cmd')).toBe("'-cmd");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe(`"'\rx"`);
    expect(csvField(-29)).toBe('-29');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
    expect(csvField(['a', 'b'])).toBe('a b');
  });
});

describe('ordering', () => {
  test('job ids sort numerically, array parent before subjobs', () => {
    const ids = ['10.s', '4[2].s', '2.s', '4[].s', '4[10].s', '4[1].s'];
    expect([...ids].sort(compareJobIds)).toEqual([
      '2.s',
      '4[].s',
      '4[1].s',
      '4[2].s',
      '4[10].s',
      '10.s',
    ]);
  });
  test('sortRows is stable, numeric-aware and keeps blanks last either way', () => {
    const rows = [{ k: 'b10' }, { k: null }, { k: 'b9' }, { k: 'a' }];
    expect(sortRows(rows, 'k').map((r) => r.k)).toEqual(['a', 'b9', 'b10', null]);
    expect(sortRows(rows, 'k', true).map((r) => r.k)).toEqual(['b10', 'b9', 'a', null]);
  });
});
