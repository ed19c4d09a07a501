import { describe, expect, it } from 'vitest';
import { packRaw, unpackRaw } from '../../src/store/raw-attrs.js';

describe('raw attributes', () => {
  it('round-trips JSON through gzip and is smaller for real-size maps', () => {
    const attrs: Record<string, string> = {};
    for (let i = 0; i < 60; i++) attrs[`Resource_List.attr_${i}`] = `value ${i} ${'x'.repeat(20)}`;
    const packed = packRaw(attrs);
    expect(packed).toBeInstanceOf(Uint8Array);
    expect([packed[0], packed[1]]).toEqual([0x1f, 0x8b]);
    expect(packed.byteLength).toBeLessThan(JSON.stringify(attrs).length / 3);
    expect(unpackRaw(packed)).toEqual(attrs);
    expect(unpackRaw(packRaw({ a: [1, null, 'é'] }))).toEqual({ a: [1, null, 'é'] });
  });
  it('throws a clear error on bytes that are not gzip JSON', () => {
    expect(() => unpackRaw(new Uint8Array([1, 2, 3]))).toThrow(/raw_attrs is not gzip JSON/);
  });
});
