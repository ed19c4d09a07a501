/**
 * Property-based fuzzing of the PBS readers at a CI count (~2,000 inputs); `node scripts/fuzz.mjs`
 * runs the same properties (test/reliability/fuzz-core.mjs) at 100,000 against dist/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PbsOutputError } from '../../src/pbs/errors.js';
import {
  parseJobs,
  parseNodes,
  parseQueues,
  parseReservations,
  parseServer,
  readPbsJson,
} from '../../src/pbs/parse/index.js';
import { readTolerant } from '../../src/pbs/parse/tolerant-reader.js';
import { makeChecks, mutate, serialise } from './fuzz-core.mjs';

const checks = makeChecks({
  readPbsJson,
  readTolerant,
  parsers: { jobs: parseJobs, nodes: parseNodes, queues: parseQueues, server: parseServer },
  parseReservations,
  PbsOutputError,
  // only a hang bound (a loaded CI machine is slow); the speed figures live in scripts/fuzz.mjs
  timeBound: (size) => 2_000 + (20 * size) / 1024,
});
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const run = (p: Parameters<typeof fc.assert>[0], numRuns: number) =>
  fc.assert(p, { numRuns, seed: SEED, endOnFailure: true });

describe('fuzz: PBS readers and parsers', () => {
  it('reads every valid document in both layouts exactly as JSON.parse does, with no repairs', () => {
    run(checks.valid, 300);
  });

  it('reads one injected defect as PBS meant it and leaves every other value unchanged', () => {
    run(checks.defect, 600);
  });

  it('answers random byte damage with a result or a PbsOutputError, never a crash or a hang', () => {
    run(checks.mutated, 500);
  });

  it('does not crash on valid JSON of the wrong shape', () => {
    run(checks.shape, 300);
  });

  it('reads pbs_rstat -f text back exactly and survives damage to it', () => {
    run(checks.rstat, 300);
  });

  it('counted every input it generated', () => {
    // sequential in one file: the properties above ran first
    expect(checks.stats.inputs).toBeGreaterThanOrEqual(2_000);
  });

  it('keeps a deliberately broken value of a large document local: the other 2,000 jobs are exact', () => {
    const doc: { [k: string]: unknown } = { timestamp: 1, pbs_version: 'x', pbs_server: 's' };
    const jobs: Record<string, { Job_Name: string; n: number }> = {};
    for (let i = 0; i < 2000; i++) jobs[`${i}.s`] = { Job_Name: `j"${i}\\`, n: i };
    doc.Jobs = jobs;
    const text = serialise(doc, 'cjson').replace('"n":\t1000', '"n":\t01000');
    const r = readPbsJson(Buffer.from(text), 'qstat');
    const got = r.value.Jobs as Record<string, { n: unknown }>;
    expect(got['1000.s']?.n).toBe('01000');
    got['1000.s']!.n = 1000;
    expect(r.value).toEqual(JSON.parse(serialise(doc, 'cjson')));
    expect(r.repairs).toEqual([
      { kind: 'bad-number', offset: text.indexOf('01000'), detail: '01000' },
    ]);
  });

  it('mutate() applies each damage kind as described', () => {
    const b = Buffer.from('abcdef');
    expect(mutate(b, [{ op: 'truncate', at: 3 }]).toString()).toBe('abc');
    expect(mutate(b, [{ op: 'flip', at: 0, byte: 65 }]).toString()).toBe('Abcdef');
    expect(mutate(b, [{ op: 'delete', at: 1, len: 2 }]).toString()).toBe('adef');
    expect(mutate(b, [{ op: 'repeat', at: 1, len: 2 }]).toString()).toBe('abcbcdef');
    expect(mutate(b, [{ op: 'insert', at: 6, bytes: Buffer.from('!') }]).toString()).toBe(
      'abcdef!',
    );
  });
});

describe('pbs_rstat -f edge cases found by fuzzing', () => {
  // Regression test (found here, since fixed): src/pbs/parse/reservations.ts ATTR regex `(.*)$` has no `s` flag, so `.` stops at U+2028/U+2029:
  // a reservation name containing them is dropped as an "unrecognised-line" repair (value lost).
  it('keeps a value containing U+2028', () => {
    const p = parseReservations('Resv ID: R1.s\nReserve_Name = a\u2028b\nqueue = q\n');
    expect(p.items[0]?.raw).toEqual({ Reserve_Name: 'a\u2028b', queue: 'q' });
    expect(p.items[0]?.name).toBe('a\u2028b');
  });

  // Regression test (found here, since fixed): src/pbs/parse/reservations.ts stores attributes with `raw[key] = value` on a plain object:
  // an attribute named `__proto__` sets the prototype instead and silently vanishes.
  it('keeps an attribute named __proto__', () => {
    const p = parseReservations('Resv ID: R1.s\n__proto__ = x\nqueue = q\n');
    expect(Object.keys(p.items[0]!.raw)).toEqual(['__proto__', 'queue']);
  });

  it('keeps a __proto__ key in PBS JSON as data on both paths, and pollutes nothing', () => {
    const s = '{"Jobs":{"1.s":{"__proto__":{"polluted":1},"a":"x"}}}';
    for (const text of [s, `${s} `, `${s.replace('"x"', '005')}`]) {
      const r = readPbsJson(text, 'qstat');
      const job = (r.value.Jobs as Record<string, object>)['1.s']!;
      expect(Object.keys(job)).toEqual(['__proto__', 'a']);
      expect(({} as { polluted?: number }).polluted).toBeUndefined();
    }
  });
});
