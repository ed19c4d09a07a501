import { describe, expect, it } from 'vitest';
import { PbsOutputError } from '../../../src/pbs/errors.js';
import { parseJobs, parseNodes, parseQueues, readPbsJson } from '../../../src/pbs/parse/index.js';
import { defect, kinds } from './helpers.js';

const CMD = 'qstat -f -F json';
type Obj = Record<string, unknown>;
const job = (v: Obj, id = '7.pbshost'): Obj => (v.Jobs as Obj)[id] as Obj;

describe('readPbsJson fast path', () => {
  it('reads valid JSON with no repairs, from a string or a Buffer', () => {
    const text = '\n{"timestamp":1,"Jobs":{"1.s":{"a":[1,"x"]}}}';
    expect(readPbsJson(text, CMD)).toEqual({
      value: { timestamp: 1, Jobs: { '1.s': { a: [1, 'x'] } } },
      repairs: [],
    });
    expect(readPbsJson(Buffer.from(text), CMD).repairs).toEqual([]);
  });

  it('rejects a JSON value that is not an object', () => {
    expect(() => readPbsJson('[1,2]', CMD)).toThrow(PbsOutputError);
  });
});

describe('readPbsJson repairs the defects PBS prints', () => {
  it('keeps numbers that are not JSON as the text PBS meant', () => {
    const { value, repairs } = readPbsJson(defect('bad-number.json'), CMD);
    expect(job(value).Variable_List).toEqual({
      foo: '005',
      ZERO: '000',
      HEX: '0x10',
      HALF: '.5',
      ONE_DOT: '1.',
      PLUS: '+1',
      NEG: '-05',
      INF: 'inf',
      NAN: 'nan',
      OK: 42,
    });
    expect(kinds(repairs)).toEqual({ 'bad-number': 9 });
    expect(repairs[0]).toEqual({
      kind: 'bad-number',
      offset: defect('bad-number.json').indexOf('005'),
      detail: '005',
    });
  });

  it('keeps integers beyond 2^53 exactly, as strings', () => {
    const { value, repairs } = readPbsJson(defect('big-integer.json'), CMD);
    expect(job(value).queue_rank).toBe('123456789012345678901');
    expect(job(value).Variable_List).toEqual({ BIG: '9007199254740993', SAFE: 9007199254740991 });
    expect(kinds(repairs)).toEqual({ 'big-integer': 2 });
  });

  it('keeps the backslash of invalid escapes', () => {
    const { value, repairs } = readPbsJson(defect('bad-escape.json'), CMD);
    expect(job(value).Variable_List).toEqual({
      MYVAR: `\\'"asads"\\'`,
      MYVAR2: "/home/pbstest01/Mo\\\\'",
      MYVAR3: 'ab\\,c',
      USERDOM: 'MYDOMAIN\\myuser@host',
      TRAIL: 'C:\\dir\\',
    });
    expect(kinds(repairs)).toEqual({ 'bad-escape': 6 });
  });

  it('keeps raw control characters and ^X forms', () => {
    const { value, repairs } = readPbsJson(defect('control-chars.json'), CMD);
    expect(job(value).Variable_List).toEqual({
      TABBED: 'a\tb',
      BELL: 'ring\x07here',
      CARET: 'x^Ay',
    });
    expect(kinds(repairs)).toEqual({ 'control-char': 2 });
  });

  it('decodes each string on its own: UTF-8 when valid, else Latin-1; drops the mangling control byte', () => {
    const { value, repairs } = readPbsJson(defect('latin1.json'), CMD);
    const j = job(value);
    expect(j.Job_Name).toBe('résumé');
    expect(j.comment).toBe('café ok');
    expect(j.mangled).toBe('naïve');
    expect(kinds(repairs)).toEqual({ latin1: 2, 'mangled-byte': 1 });
  });

  it('decides where a string ends by what follows an unescaped quote', () => {
    const { value, repairs } = readPbsJson(defect('unescaped-quote.json'), CMD);
    const j = job(value);
    expect(j.Resource_List).toEqual({ pset: 'group_id=""', select: '1:ncpus=1' });
    expect(j.comment).toBe('reboot "zaskly sdileny scratch" (Sep 04 14:13 SCHEDULED)');
    expect(kinds(repairs)).toEqual({ 'unescaped-quote': 4 });
  });

  it('keeps every value of a duplicated key, in order', () => {
    const { value, repairs } = readPbsJson(defect('duplicate-key.json'), 'qstat -Q -f -F json');
    const q = (value.Queue as Obj).QueueA as Obj;
    expect(q.max_queued).toEqual(['[o:PBS_ALL=10]', '[u:PBS_GENERIC=2]', '[u:tom=15]']);
    expect(kinds(repairs)).toEqual({ 'duplicate-key': 2 });
    const limits = parseQueues(defect('duplicate-key.json')).items[0]?.limits;
    expect(limits).toEqual({
      max_queued: ['[o:PBS_ALL=10]', '[u:PBS_GENERIC=2]', '[u:tom=15]'],
      'max_run_res.ncpus': ['[u:PBS_GENERIC=40]'],
    });
  });

  it('skips a text table printed before the JSON', () => {
    const buf = defect('text-header.json');
    const parsed = parseJobs(buf);
    expect(parsed.items.map((j) => [j.jobId, j.owner, j.state])).toEqual([
      ['2000.VMa', 'amehm5', 'R'],
    ]);
    expect(parsed.items[0]?.raw.HEX).toBe('0x1F');
    expect(parsed.repairs[0]).toEqual({
      kind: 'leading-text',
      offset: 0,
      detail: `${buf.indexOf('{')} bytes before the JSON skipped`,
    });
    expect(kinds(parsed.repairs)).toEqual({ 'leading-text': 1, 'bad-number': 1 });
  });

  it('reads the tab-indented cJSON layout', () => {
    const parsed = parseJobs(defect('cjson-tabs.json'));
    expect(parsed.pbsVersion).toBe('latest');
    expect(parsed.items[0]?.select).toEqual([{ count: 40, resources: {} }]);
    expect(parsed.items[0]?.raw.n).toBe('007');
    expect(kinds(parsed.repairs)).toEqual({ 'bad-number': 1 });
  });

  it('reads an empty object printed over two lines, with quotes in a node comment', () => {
    const parsed = parseNodes(defect('empty-object-two-lines.json'));
    const n = parsed.items[0];
    expect(n?.resourcesAssigned).toEqual({});
    expect([n?.ncpus, n?.ncpusAssigned, n?.memBytes, n?.memAssignedBytes]).toEqual([
      2,
      0,
      4 * 2 ** 30,
      0,
    ]);
    expect(n?.jobs).toEqual(['1.pbs', '2.pbs']);
    expect(n?.comment).toBe('node "down" for a test');
    expect(kinds(parsed.repairs)).toEqual({ 'unescaped-quote': 2 });
  });

  it('reads a missing Jobs key as no jobs', () => {
    expect(parseJobs(defect('no-jobs-key.json'))).toEqual({
      items: [],
      timestamp: 1795819703,
      pbsVersion: '23.06.06',
      pbsServer: 'pbshost',
      repairs: [],
    });
  });

  it('reports an {"Error": …} entry in nodes as a repair, not a node', () => {
    const buf = defect('unknown-node-error.json');
    const parsed = parseNodes(buf);
    expect(parsed.items.map((n) => n.name)).toEqual(['n1']);
    expect(parsed.repairs).toEqual([
      { kind: 'error-node', offset: buf.indexOf('"Error"'), detail: 'pbs: Unknown node' },
    ]);
  });

  it('throws PbsOutputError naming the command and offset on truncated output', () => {
    const buf = defect('truncated.json');
    const err = catchErr(() => readPbsJson(buf, CMD));
    expect(err).toBeInstanceOf(PbsOutputError);
    expect((err as PbsOutputError).offset).toBe(buf.length);
    expect((err as PbsOutputError).command).toBe(CMD);
    expect((err as Error).message).toMatch(
      /^qstat -f -F json: unreadable output at byte \d+: .*truncated/,
    );
  });

  it('throws PbsOutputError on garbage and on empty output', () => {
    expect(catchErr(() => readPbsJson(defect('garbage.bin'), CMD))).toBeInstanceOf(PbsOutputError);
    expect((catchErr(() => readPbsJson('', CMD)) as PbsOutputError).offset).toBe(0);
    expect(readPbsJson('{"a":1} x {', CMD)).toEqual({
      value: { a: 1 },
      repairs: [{ kind: 'trailing-text', offset: 8, detail: '3 bytes after the JSON ignored' }],
    });
    expect((catchErr(() => readPbsJson('{"a":@}', CMD)) as PbsOutputError).offset).toBe(5);
  });

  it('reports absurd nesting as unreadable, not as a stack overflow', () => {
    const deep = `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(catchErr(() => readPbsJson(deep, CMD))).toBeInstanceOf(PbsOutputError);
    expect(catchErr(() => readPbsJson(`{"a":${'['.repeat(20_000)}`, CMD))).toBeInstanceOf(
      PbsOutputError,
    );
  });

  it('skips a UTF-8 byte order mark', () => {
    expect(readPbsJson(Buffer.from('\ufeff{"a":"é"}', 'utf8'), CMD)).toEqual({
      value: { a: 'é' },
      repairs: [{ kind: 'bom', offset: 0, detail: 'UTF-8 byte order mark skipped' }],
    });
  });

  it('names byte offsets (not char offsets) after multi-byte characters', () => {
    const err = catchErr(() => readPbsJson('{"n":"é", "x":005, "y":@}', CMD)) as PbsOutputError;
    expect(err.offset).toBe(24);
  });
});

function catchErr(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
