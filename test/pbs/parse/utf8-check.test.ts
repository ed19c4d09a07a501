import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUtf8Range, utf8RunsValid } from '../../../src/pbs/parse/utf8-check.js';

const b = (...bytes: number[]) => Uint8Array.from(bytes);

describe('isUtf8Range / utf8RunsValid', () => {
  it('accepts UTF-8 and rejects what the standard forbids', () => {
    const ok = Buffer.from('été 漢字 🎉', 'utf8');
    expect(isUtf8Range(ok, 0, ok.length)).toBe(true);
    expect(isUtf8Range(b(0xe9, 0x74, 0xe9), 0, 3)).toBe(false); // Latin-1 "été"
    expect(isUtf8Range(b(0xc0, 0xaf), 0, 2)).toBe(false); // overlong
    expect(isUtf8Range(b(0xe0, 0x80, 0xaf), 0, 3)).toBe(false); // overlong
    expect(isUtf8Range(b(0xed, 0xa0, 0x80), 0, 3)).toBe(false); // surrogate
    expect(isUtf8Range(b(0xf4, 0x90, 0x80, 0x80), 0, 4)).toBe(false); // beyond U+10FFFF
    expect(isUtf8Range(b(0xe2, 0x82), 0, 2)).toBe(false); // truncated
    expect(isUtf8Range(b(0x41, 0xe2, 0x82, 0xac, 0xff), 1, 4)).toBe(true); // only the range counts
  });

  it('reads runs as one sequence: a character may span two runs', () => {
    const euro = b(0xe2, 0x82, 0x01, 0xac); // € split by a byte PBS inserted
    expect(utf8RunsValid(euro, [0, 2, 3, 4])).toBe(true);
    expect(utf8RunsValid(euro, [0, 2])).toBe(false);
  });

  it('property: agrees with Buffer isUtf8 on any bytes, any range and any split', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }).map((s) => Buffer.from(s, 'utf8')),
    );
    fc.assert(
      fc.property(bytes, fc.nat(), fc.nat(), fc.nat(), (buf, x, y, z) => {
        const n = buf.length;
        const [s, m, e] = [x % (n + 1), y % (n + 1), z % (n + 1)].sort((p, q) => p - q) as [
          number,
          number,
          number,
        ];
        const want = isUtf8(buf.subarray(s, e));
        expect(isUtf8Range(buf, s, e)).toBe(want);
        expect(utf8RunsValid(buf, [s, m, m, e])).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });
});
