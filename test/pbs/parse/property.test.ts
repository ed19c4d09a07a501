import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PbsOutputError } from '../../../src/pbs/errors.js';
import { parseJobs, parseNodes, readPbsJson } from '../../../src/pbs/parse/index.js';
import { readTolerant } from '../../../src/pbs/parse/tolerant-reader.js';
import type { RawValue } from '../../../src/pbs/types.js';
import { capture } from './helpers.js';

/** What the reader promises: JSON.parse's result, except that integers beyond 2^53 stay exact text. */
function expected(v: unknown): unknown {
  if (typeof v === 'number')
    return Number.isInteger(v) && !Number.isSafeInteger(v) && !/e/i.test(String(v)) ? String(v) : v;
  if (Array.isArray(v)) return v.map(expected);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, {
        value: expected(x),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return v;
}

describe('readPbsJson property: JSON.stringify output reads back identically', () => {
  const doc = fc.record({
    v: fc.jsonValue(),
    k: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
  });

  it('through readPbsJson (fast path or not)', () => {
    fc.assert(
      fc.property(doc, (value) => {
        const text = JSON.stringify(value);
        expect(readPbsJson(text, 't').value).toEqual(expected(JSON.parse(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('through the tolerant reader, compact and in both PBS layouts, as text and as bytes', () => {
    fc.assert(
      fc.property(
        doc,
        fc.constantFrom<string | number | undefined>(undefined, 4, '\t'),
        (value, indent) => {
          const text = JSON.stringify(value, null, indent);
          const want = expected(JSON.parse(text));
          const fromText = readTolerant(text, 't');
          expect(fromText.value).toEqual(want);
          expect(fromText.repairs.filter((r) => r.kind !== 'big-integer')).toEqual([]);
          expect(readTolerant(Buffer.from(text, 'utf8'), 't').value).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('random byte mutations of a real capture', () => {
  const original = capture('t2-running__qstat_f_job1_F_json.json');
  const nodes = capture('t2-running__pbsnodes_av_F_json.json');
  const edit = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('set', 'insert', 'delete', 'truncate'),
    byte: fc.integer({ min: 0, max: 255 }),
  });

  function mutate(buf: Buffer, edits: { at: number; op: string; byte: number }[]): Buffer {
    let b = Buffer.from(buf);
    for (const e of edits) {
      const at = e.at % (b.length + 1);
      if (e.op === 'set' && at < b.length) b[at] = e.byte;
      else if (e.op === 'insert')
        b = Buffer.concat([b.subarray(0, at), Buffer.of(e.byte), b.subarray(at)]);
      else if (e.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
      else if (e.op === 'truncate' && e.byte < 16) b = b.subarray(0, at);
    }
    return b;
  }

  it('never throw anything but PbsOutputError, and finish fast', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(edit, { minLength: 1, maxLength: 8 }),
        (useNodes, edits) => {
          const input = mutate(useNodes ? nodes : original, edits);
          const t0 = performance.now();
          try {
            const parsed = useNodes
              ? parseNodes(input, { timezone: 'UTC' })
              : parseJobs(input, { timezone: 'UTC' });
            for (const item of parsed.items as { raw: Record<string, RawValue> }[])
              expect(typeof item.raw).toBe('object');
          } catch (err) {
            expect(err).toBeInstanceOf(PbsOutputError);
            expect((err as PbsOutputError).offset).toBeGreaterThanOrEqual(0);
            expect((err as PbsOutputError).offset).toBeLessThanOrEqual(input.length);
          }
          expect(performance.now() - t0).toBeLessThan(1000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
