import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChunked } from '../../../src/pbs/parse/chunked-json.js';
import { parseJobs, readPbsJson } from '../../../src/pbs/parse/index.js';

/** PBS's own layout: 4-space indents and no space after the colon */
function pbsLayout(value: unknown): string {
  return `${JSON.stringify(value, null, 4).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1:')}\n`;
}

function jobsDoc(n: number): Record<string, unknown> {
  const Jobs: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    Jobs[`${100 + i}.pbs`] = {
      Job_Name: `run_été_${i}`,
      job_state: i % 2 ? 'R' : 'Q',
      Resource_List: { ncpus: 8, select: '1:ncpus=8', nodect: 1 },
      Variable_List: { PBS_O_HOME: '/home/u', QUOTE: 'say "hi" \\ {x}' },
      jobs: [`${i}.pbs/0`, { nested: { deep: [1, 2, null, true] } }],
    };
  }
  return { timestamp: 1752784748, pbs_version: '2022.1.7', pbs_server: 'pbs', Jobs };
}

const bytes = (t: string) => Buffer.from(t, 'utf8');

describe('parseChunked: JSON.parse one PBS entry at a time', () => {
  it('gives exactly JSON.parse of the whole text for PBS layout', () => {
    const text = pbsLayout(jobsDoc(50));
    expect(text).toContain('\n        "100.pbs":{\n');
    const got = parseChunked(bytes(text), 0);
    expect(got).not.toBeNull();
    expect(got).toStrictEqual(JSON.parse(text));
    expect(Object.keys((got as { Jobs: object }).Jobs)).toEqual(
      Object.keys((JSON.parse(text) as { Jobs: object }).Jobs),
    );
  });

  it('keeps a `__proto__` entry as an own key and later duplicates win, as JSON.parse does', () => {
    const text =
      '{\n    "t":1,\n    "Jobs":{\n        "__proto__":{\n            "a":1\n        },\n' +
      '        "x":{\n            "a":2\n        },\n        "x":{\n            "a":3\n        }\n    }\n}\n';
    const got = parseChunked(bytes(text), 0) as { Jobs: Record<string, unknown> };
    expect(got).not.toBeNull();
    expect(Object.getPrototypeOf(got.Jobs)).toBe(Object.prototype);
    expect(Object.keys(got.Jobs)).toEqual(['__proto__', 'x']);
    expect(Object.getOwnPropertyDescriptor(got.Jobs, '__proto__')?.value).toEqual({ a: 1 });
    expect(got.Jobs.x).toEqual({ a: 3 });
    expect(got).toStrictEqual(JSON.parse(text));
  });

  it('fills a container named `__proto__` as JSON.parse does: an own key', () => {
    const text = pbsLayout(jobsDoc(3)).replace('"Jobs":{', '"__proto__":{');
    const got = parseChunked(bytes(text), 0);
    expect(got).not.toBeNull();
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(got).toStrictEqual(JSON.parse(text));
  });

  it('declines small inputs, other layouts and anything not valid, leaving them to the whole-text parse', () => {
    const good = pbsLayout(jobsDoc(3));
    expect(parseChunked(bytes(good))).toBeNull(); // under the 1 MB default
    const declined = [
      JSON.stringify(jobsDoc(3), null, '\t'), // cJSON's tab layout
      JSON.stringify(jobsDoc(3)), // compact
      good.replace('"job_state":"Q"', '"job_state":"Q",'), // trailing comma in an entry
      good.replace('"101.pbs":{', '"101.pbs" {'), // no colon after a key
      good.replace('"101.pbs":{', '"101.pbs":{}, "y":{'), // entry closed early
      good.replace(/\n\}\n$/, ',\n    "after":1\n}\n'), // the entries are not the last member
      good.replace(/\n\}\n$/, '\n}\n}\n'), // text after the document
      good.replace('"timestamp":1752784748', '"timestamp":1752784748,'), // broken header
    ];
    for (const [i, text] of declined.entries()) {
      expect(text === good ? 'unchanged' : parseChunked(bytes(text), 0), `case ${i}`).toBeNull();
    }
  });

  it('property: on PBS layout it parses, and equals JSON.parse', () => {
    const entry = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1 });
    const doc = fc.record({
      // PBS's header holds only plain values (timestamp, pbs_version, pbs_server)
      head: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
      entries: fc.dictionary(fc.string(), entry, { minKeys: 1 }),
    });
    fc.assert(
      fc.property(doc, ({ head, entries }) => {
        const value: Record<string, unknown> = {};
        const put = (k: string, v: unknown) =>
          Object.defineProperty(value, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        for (const [k, v] of Object.entries(head)) if (k !== 'Jobs') put(k, v);
        put('Jobs', entries);
        const text = pbsLayout(value);
        const got = parseChunked(bytes(text), 0);
        expect(got).not.toBeNull();
        expect(got).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('is what readPbsJson uses on large PBS output, and a defect anywhere still reaches the tolerant reader', () => {
    const text = pbsLayout(jobsDoc(6000));
    expect(text.length).toBeGreaterThan(1 << 20);
    const fast = readPbsJson(bytes(text), 'qstat -f -F json');
    expect(fast.repairs).toEqual([]);
    expect(fast.value).toStrictEqual(JSON.parse(text));
    const broken = text.replace(
      '"Job_Name":"run_été_5999",',
      '"Job_Name":"run_été_5999",\n            "bad":008,',
    );
    expect(broken).not.toBe(text);
    const { items, repairs } = parseJobs(bytes(broken));
    expect(items).toHaveLength(6000);
    expect(repairs.map((r) => [r.kind, r.detail])).toEqual([['bad-number', '008']]);
    expect(items[5999]?.raw.bad).toBe('008');
    expect(items[5998]?.name).toBe('run_été_5998');
  });
});
