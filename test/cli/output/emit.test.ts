import { expect, test } from 'vitest';
import { captureIO } from '../../../src/cli/io.js';
import { emitRows, tableWidth, useColour } from '../../../src/cli/output/emit.js';
import { defaultConfig } from '../../../src/config/schema.js';
import type { ColumnSpec } from '../../../src/cli/output/columns.js';

const COLS: ColumnSpec[] = [
  { key: 'id', header: 'ID', kind: 'text' },
  { key: 'comment', header: 'COMMENT', kind: 'text', flex: true },
];
const rows = [{ id: '1', comment: 'x'.repeat(100) }];

test('terminal width capped by display.max_table_width; no limit in a pipe', () => {
  const config = defaultConfig();
  expect(tableWidth(captureIO({ tty: true, columns: 200 }), config)).toBe(200);
  config.display.max_table_width = 50;
  expect(tableWidth(captureIO({ tty: true, columns: 200 }), config)).toBe(50);
  expect(tableWidth(captureIO({ tty: true, columns: 40 }), config)).toBe(40);
  expect(tableWidth(captureIO(), config)).toBeNull();
  const io = captureIO({ tty: true, columns: 200 });
  emitRows(io, rows, { format: 'table', columns: COLS }, config);
  expect(
    io
      .stdout()
      .split('\n')
      .map((l) => [...l].length),
  ).toEqual([11, 50, 0]);
});

test('colour only when the IO allows it and display.use_colors is on', () => {
  const config = defaultConfig();
  const io = { ...captureIO(), colour: true };
  expect(useColour(io, config)).toBe(true);
  config.display.use_colors = false;
  expect(useColour(io, config)).toBe(false);
  expect(useColour(captureIO(), defaultConfig())).toBe(false);
});

test('json carries every field; csv and table only the columns; empty table notes on stderr', () => {
  const io = captureIO();
  emitRows(io, [{ id: '1', comment: 'c', extra: 5 }], { format: 'json', columns: COLS });
  expect(JSON.parse(io.stdout())).toEqual([{ id: '1', comment: 'c', extra: 5 }]);
  const csv = captureIO();
  emitRows(csv, [{ id: '1', comment: 'c', extra: 5 }], { format: 'csv', columns: COLS });
  expect(csv.stdout()).toBe('id,comment\r\n1,c\r\n');
  const empty = captureIO();
  emitRows(empty, [], { format: 'table', columns: COLS, emptyNote: 'no jobs match' });
  expect(empty.stdout()).toBe('ID  COMMENT\n');
  expect(empty.stderr()).toBe('no jobs match\n');
});
