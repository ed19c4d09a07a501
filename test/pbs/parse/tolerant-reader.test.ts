import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readTolerant } from '../../../src/pbs/parse/tolerant-reader.js';

describe('readTolerant number and string fast paths', () => {
  it('reads plain integers as JSON.parse does, and leaves the others to the careful path', () => {
    const text =
      '{"a":0,"b":-0,"c":123456789012345,"d":-42,"e":1234567890123456,"f":12.5,"g":1e3,' +
      '"h":9007199254740993,"i":007,"j":-,"k":[1,-2,30]}';
    const { value, repairs } = readTolerant(text, 't');
    expect(value).toEqual({
      a: 0,
      b: -0,
      c: 123456789012345,
      d: -42,
      e: 1234567890123456,
      f: 12.5,
      g: 1000,
      h: '9007199254740993',
      i: '007',
      j: '-',
      k: [1, -2, 30],
    });
    expect(Object.is(value.b, -0)).toBe(true);
    expect(repairs.map((r) => [r.kind, r.detail])).toEqual([
      ['big-integer', '9007199254740993'],
      ['bad-number', '007'],
      ['bad-number', '-'],
    ]);
  });

  it('hands out the right string when short strings share a hash slot', () => {
    // "Aa" and "BB" have the same 31-based hash, as do "AaAa", "AaBB", "BBAa" and "BBBB".
    const values = ['Aa', 'BB', 'Aa', 'AaAa', 'BBBB', 'AaBB', 'BBAa', 'BB', 'Aa'];
    const text = JSON.stringify({ Aa: values, BB: values.map((v) => ({ [v]: v })) });
    expect(readTolerant(text, 't').value).toEqual(JSON.parse(text));
    expect(readTolerant(Buffer.from(text), 't').value).toEqual(JSON.parse(text));
  });

  it('decodes Latin-1 and UTF-8 strings one by one, whatever the string cache holds', () => {
    const latin1 = Buffer.from('{"a":"caf\u00e9","b":"caf","c":"caf\u00e9"}', 'latin1');
    expect(readTolerant(latin1, 't').value).toEqual({ a: 'café', b: 'caf', c: 'café' });
    const utf8 = Buffer.from('{"a":"café","b":"caf","c":"café"}', 'utf8');
    expect(readTolerant(utf8, 't', true).value).toEqual({ a: 'café', b: 'caf', c: 'café' });
  });
});

describe('readTolerant object shapes (objects cloned from an earlier one with the same first key)', () => {
  /** what the reader promises: every value of a repeated key, in an array */
  function expected(pairs: [string, number][]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, number[]>();
    for (const [k, v] of pairs) {
      const all = seen.get(k);
      if (all) {
        all.push(v);
        out[k] = all.length === 1 ? all[0] : [...all];
      } else {
        seen.set(k, [v]);
        out[k] = v;
      }
    }
    return out;
  }
  const text = (objects: [string, number][][]) =>
    `{"list":[${objects
      .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`)
      .join(',')}]}`;

  it('reads objects that follow, leave, shorten or extend the shape of the one before', () => {
    const keys = 'abcdefghij'.split('');
    const full = keys.map((k, i): [string, number] => [k, i]);
    const objects: [string, number][][] = [
      full,
      full.map(([k, v]) => [k, v + 100]), // same keys
      full.slice(0, 5), // fewer keys
      [...full, ['k', 11], ['a', 12]], // more keys, then a repeat of a matched one
      [...full.slice(0, 3), ['b', 13], ...full.slice(3)], // a repeat where the shape expected `d`
      [
        ['a', 1],
        ['c', 2],
        ['b', 3],
        ['d', 4],
        ['e', 5],
        ['f', 6],
        ['g', 7],
        ['h', 8],
      ], // other order
      full,
    ];
    const { value, repairs } = readTolerant(text(objects), 't');
    const list = value.list as Record<string, unknown>[];
    objects.forEach((pairs, i) => {
      expect(list[i]).toStrictEqual(expected(pairs));
      expect(Object.keys(list[i]!)).toEqual([...new Set(pairs.map(([k]) => k))]);
    });
    expect(repairs.map((r) => [r.kind, r.detail])).toEqual([
      ['duplicate-key', 'a'],
      ['duplicate-key', 'b'],
    ]);
  });

  it('property: any run of objects over a few keys reads as written', () => {
    const pairs = fc.array(fc.tuple(fc.constantFrom(...'abcdefghijkl'), fc.integer()), {
      maxLength: 14,
    });
    fc.assert(
      fc.property(fc.array(pairs, { maxLength: 8 }), (objects) => {
        const list = readTolerant(text(objects), 't').value.list as unknown[];
        expect(list).toStrictEqual(objects.map(expected));
      }),
      { numRuns: 500 },
    );
  });
});
