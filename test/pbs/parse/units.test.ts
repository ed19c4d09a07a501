import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize } from '../../../src/pbs/parse/index.js';

describe('parseSize', () => {
  it.each([
    ['0b', 0],
    ['9692kb', 9692 * 1024],
    ['740393mb', 740393 * 2 ** 20],
    ['8kw', 8 * 1024 * 8],
    ['1tb', 2 ** 40],
    ['4gb', 4 * 2 ** 30],
    ['2PB', 2 * 2 ** 50],
    ['1024', 1024],
    ['1.5kb', 1536],
    [4294967296, 4294967296],
  ] as const)('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'lots', '@gpu0n001[1]', '-5kb', '5xb'])('%j → null', (text) => {
    expect(parseSize(text)).toBeNull();
  });
});

describe('parseDuration', () => {
  it.each([
    ['45682:59:56', 45682 * 3600 + 59 * 60 + 56],
    ['10:00', 600],
    ['30', 30],
    ['01:00:00.5', 3600.5],
    ['00:00:00', 0],
    ['120:00:00', 432000],
    [720, 720],
  ] as const)('%s → %d s', (text, secs) => {
    expect(parseDuration(text)).toBe(secs);
  });

  it.each(['', 'UNKNOWN', '1:2:3:4', '-1', 'a:b'])('%j → null', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
