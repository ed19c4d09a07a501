import { describe, expect, it } from 'vitest';
import { parseExecVnode, parseJobs } from '../../../src/pbs/parse/index.js';
import { StringMemo } from '../../../src/pbs/parse/parse-memo.js';
import { vnodeShareMemo } from '../../../src/pbs/parse/placement.js';

const VNODE = '(x1:ncpus=208:ngpus=6)+(x2:ncpus=208)';
const job = (select: string, vnode: string, host: string): Record<string, unknown> => ({
  job_state: 'R',
  Resource_List: { select },
  exec_host: host,
  exec_vnode: vnode,
});
const doc = JSON.stringify({
  pbs_server: 'srv',
  Jobs: {
    '1[1].srv': job('2:ncpus=208', VNODE, 'x1/0*208+x2/0*208'),
    '1[2].srv': job('2:ncpus=208', VNODE, 'x1/0*208+x2/0*208'),
    '2.srv': job('1:ncpus=8', '(x2:ncpus=208)', 'x2/0*208'),
  },
});

describe('StringMemo', () => {
  it('computes once per distinct key and starts over when full', () => {
    const calls: string[] = [];
    const memo = new StringMemo((k) => {
      calls.push(k);
      return k.length;
    }, 2);
    expect([memo.get('a'), memo.get('bb'), memo.get('a'), memo.get('bb')]).toEqual([1, 2, 1, 2]);
    expect(calls).toEqual(['a', 'bb']);
    expect(memo.get('ccc')).toBe(3); // full: cleared, so `a` is computed again
    expect(memo.get('a')).toBe(1);
    expect(calls).toEqual(['a', 'bb', 'ccc', 'a']);
  });
});

describe('parseExecVnode with a share memo', () => {
  it('gives the uncached result, one frozen object per identical chunk', () => {
    const shares = vnodeShareMemo();
    const text = '(x1:ncpus=8)+(x1:ncpus=8+gpu[0]:ngpus=1)';
    const cached = parseExecVnode(text, shares);
    expect(cached).toEqual(parseExecVnode(text));
    expect(cached[0]).toBe(cached[1]);
    expect(Object.isFrozen(cached[2]) && Object.isFrozen(cached[2]!.resources)).toBe(true);
    expect(parseExecVnode('(x1:ncpus=8)', shares)[0]).toBe(cached[0]);
  });
});

describe('parseJobs memoised placements', () => {
  it('shares identical selects and vnode chunks as frozen values no job can change for another', () => {
    const [a, b, c] = parseJobs(doc, { timezone: 'UTC' }).items;
    expect(a!.select).toEqual([{ count: 2, resources: { ncpus: '208' } }]);
    expect(a!.vnodes).toEqual([
      { vnode: 'x1', host: 'x1', resources: { ncpus: '208', ngpus: '6' } },
      { vnode: 'x2', host: 'x2', resources: { ncpus: '208' } },
    ]);
    expect([a!.hosts, c!.hosts]).toEqual([['x1', 'x2'], ['x2']]);
    expect(c!.vnodes[0]).toBe(a!.vnodes[1]); // the same chunk text is one share object
    // Mutation attempts fail loudly (ESM is strict mode) instead of leaking into job b.
    expect(a!.select).toBe(b!.select);
    expect(() => a!.select.push({ count: 1, resources: {} })).toThrow(TypeError);
    expect(() => {
      a!.select[0]!.resources.ncpus = '1';
    }).toThrow(TypeError);
    expect(() => {
      a!.vnodes[1]!.resources.ncpus = '1';
    }).toThrow(TypeError);
    a!.vnodes.pop(); // each job has its own array of (shared) shares
    a!.hosts.pop();
    expect([b!.vnodes.length, b!.hosts]).toEqual([2, ['x1', 'x2']]);
    expect(b!.select).toEqual([{ count: 2, resources: { ncpus: '208' } }]);
    expect(b!.vnodes[1]).toEqual({ vnode: 'x2', host: 'x2', resources: { ncpus: '208' } });
    expect(c!.vnodes).toEqual([{ vnode: 'x2', host: 'x2', resources: { ncpus: '208' } }]);
  });
});
