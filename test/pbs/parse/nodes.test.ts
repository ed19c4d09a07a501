import { describe, expect, it } from 'vitest';
import { parseNodes } from '../../../src/pbs/parse/index.js';
import { capture } from './helpers.js';

describe('parseNodes', () => {
  it('reads the OpenPBS 23.06 multi-vnode host', () => {
    const parsed = parseNodes(capture('t2-running__pbsnodes_av_F_json.json'));
    expect(parsed.items.map((n) => [n.name, n.states, n.jobs])).toEqual([
      ['pbshost', ['job-busy'], ['5.pbshost', '1.pbshost']],
      ['pbshost[0]', ['free'], ['2.pbshost', '4[1].pbshost', '4[2].pbshost']],
      ['pbshost[1]', ['job-busy'], ['4[3].pbshost', '4[4].pbshost', '9.pbshost']],
      ['pbshost[2]', ['free'], ['9.pbshost', '16.pbshost']],
    ]);
    const { raw, ...first } = parsed.items[0]!;
    expect(first).toEqual({
      name: 'pbshost',
      states: ['job-busy'],
      resourcesAvailable: {
        arch: 'linux',
        host: 'pbshost',
        mem: '24684084kb',
        ncpus: 2,
        vnode: 'pbshost',
      },
      resourcesAssigned: { mem: '262144kb', ncpus: 2 },
      ncpus: 2,
      ncpusAssigned: 2,
      ngpus: null,
      ngpusAssigned: 0,
      memBytes: 24684084 * 1024,
      memAssignedBytes: 262144 * 1024,
      jobs: ['5.pbshost', '1.pbshost'],
      queue: null,
      comment: null,
      lastStateChangeTime: 1795819689,
      lastUsedTime: 1795819597,
      mom: 'pbshost',
      sharing: 'default_shared',
      resv: 'R18.pbshost, R17.pbshost',
    });
    expect(raw.Port).toBe(15002);
    const v0 = parsed.items[1]!;
    expect([v0.memAssignedBytes, v0.ncpusAssigned, v0.lastUsedTime]).toEqual([0, 3, null]);
    expect([parsed.items[3]!.ngpus, parsed.items[3]!.ngpusAssigned]).toEqual([2, 0]);
  });

  it('splits state lists, collapses per-cpu job ids and keeps indirect resources as null numbers', () => {
    const doc = JSON.stringify({
      nodes: {
        'gpu0n001[1.0]': {
          state: 'offline,resv-exclusive',
          jobs: ['1.srv/0', '1.srv/1', '2.srv/0'],
          resources_available: { ncpus: '@gpu0n001[1]', mem: '@gpu0n001[0]', ngpus: 1 },
          resources_assigned: { ncpus: '@gpu0n001[1]', ngpus: 1 },
        },
      },
    });
    const n = parseNodes(doc).items[0]!;
    expect([
      n.states,
      n.jobs,
      n.ncpus,
      n.ncpusAssigned,
      n.memBytes,
      n.memAssignedBytes,
      n.ngpus,
      n.ngpusAssigned,
    ]).toEqual([['offline', 'resv-exclusive'], ['1.srv', '2.srv'], null, null, null, 0, 1, 1]);
    expect(n.resourcesAvailable.ncpus).toBe('@gpu0n001[1]');
  });

  it('shares one frozen state list per state text, and collapses one job listed once or per cpu', () => {
    const doc = JSON.stringify({
      nodes: {
        a: { state: 'down,offline', jobs: ['7.srv/3'] },
        b: { state: ' offline , down,offline', jobs: '8.srv/0, 8.srv/1' },
        c: { state: 'down,offline' },
        d: { state: ',', jobs: [''] },
      },
    });
    const [a, b, c, d] = parseNodes(doc).items;
    expect([a!.states, b!.states, d!.states]).toEqual([
      ['down', 'offline'],
      ['down', 'offline'],
      [],
    ]);
    expect(c!.states).toBe(a!.states);
    expect(Object.isFrozen(a!.states)).toBe(true);
    expect([a!.jobs, b!.jobs, c!.jobs, d!.jobs]).toEqual([['7.srv'], ['8.srv'], [], []]);
  });
});
