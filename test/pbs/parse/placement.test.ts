import { describe, expect, it } from 'vitest';
import {
  parseExecHost,
  parseExecVnode,
  parseQselect,
  parseSelect,
  parseStateCount,
} from '../../../src/pbs/parse/index.js';

describe('parseSelect', () => {
  it('reads chunks with counts and resources', () => {
    expect(parseSelect('2:ncpus=8:ngpus=4+1:mem=4gb')).toEqual([
      { count: 2, resources: { ncpus: '8', ngpus: '4' } },
      { count: 1, resources: { mem: '4gb' } },
    ]);
    expect(parseSelect('8200:ncpus=208:ngpus=6:broken=False:at_queue=lustre_scaling')).toEqual([
      {
        count: 8200,
        resources: { ncpus: '208', ngpus: '6', broken: 'False', at_queue: 'lustre_scaling' },
      },
    ]);
  });

  it('reads a bare node count (number or text) and empty input', () => {
    expect(parseSelect(40)).toEqual([{ count: 40, resources: {} }]);
    expect(parseSelect('10000')).toEqual([{ count: 10000, resources: {} }]);
    expect(parseSelect('')).toEqual([]);
  });
});

describe('parseExecHost', () => {
  it('returns distinct hosts in placement order', () => {
    expect(parseExecHost('n2/0*8+n1/0*8+n2/1*8')).toEqual(['n2', 'n1']);
    expect(parseExecHost('pbshost/2')).toEqual(['pbshost']);
    expect(parseExecHost('')).toEqual([]);
  });
});

describe('parseExecVnode', () => {
  it('reads groups, shared groups and exclusive vnodes with bracketed names', () => {
    expect(
      parseExecVnode(
        '(cpu1n001[0]:ncpus=8:mem=4gb)+(gpu0n001[1.0]:ngpus=1+gpu0n001[0]:mem=2gb)+(n3)',
      ),
    ).toEqual([
      { vnode: 'cpu1n001[0]', host: 'cpu1n001', resources: { ncpus: '8', mem: '4gb' } },
      { vnode: 'gpu0n001[1.0]', host: 'gpu0n001', resources: { ngpus: '1' } },
      { vnode: 'gpu0n001[0]', host: 'gpu0n001', resources: { mem: '2gb' } },
      { vnode: 'n3', host: 'n3', resources: {} },
    ]);
    expect(parseExecVnode('')).toEqual([]);
  });
});

describe('parseStateCount', () => {
  it('reads server/queue state counts and array_state_count', () => {
    expect(
      parseStateCount('Transit:0 Queued:3 Held:0 Waiting:0 Running:2 Exiting:0 Begun:0 '),
    ).toEqual({
      Transit: 0,
      Queued: 3,
      Held: 0,
      Waiting: 0,
      Running: 2,
      Exiting: 0,
      Begun: 0,
    });
    expect(parseStateCount('Queued:0 Running:2 Exiting:0 Expired:2')).toEqual({
      Queued: 0,
      Running: 2,
      Exiting: 0,
      Expired: 2,
    });
    expect(parseStateCount('')).toEqual({});
  });
});

describe('parseQselect', () => {
  it('returns one id per non-blank line', () => {
    expect(parseQselect('1.pbshost\n4[].pbshost\n\n  12.pbshost  \n')).toEqual([
      '1.pbshost',
      '4[].pbshost',
      '12.pbshost',
    ]);
    expect(parseQselect(Buffer.from(''))).toEqual([]);
  });
});
