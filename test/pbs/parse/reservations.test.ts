import { describe, expect, it } from 'vitest';
import { PbsOutputError } from '../../../src/pbs/errors.js';
import { parseReservations } from '../../../src/pbs/parse/index.js';
import { capture } from './helpers.js';

const utc = (h: number, mi: number, d = 27): number => Date.UTC(2026, 10, d, h, mi) / 1000;

describe('parseReservations', () => {
  it('reads the t2 reservations (confirmed)', () => {
    const parsed = parseReservations(capture('t2-running__pbs_rstat_f.txt'), { timezone: 'UTC' });
    expect(parsed.repairs).toEqual([]);
    const { raw, ...r17 } = parsed.items[0]!;
    expect(r17).toEqual({
      id: 'R17.pbshost',
      name: 'alice_resv',
      owner: 'alice',
      state: 'RESV_CONFIRMED',
      substate: 2,
      queue: 'R17',
      start: utc(22, 52),
      end: utc(23, 4),
      duration: 720,
      nodes: ['pbshost'],
      nodesText: '(pbshost:ncpus=1)',
      select: '1:ncpus=1',
      rrule: null,
      index: null,
      count: 1,
    });
    expect(raw.Authorized_Users).toBe('alice@pbshost');
    expect(Object.keys(raw)).toHaveLength(25);
    expect(parsed.items[1]!.id).toBe('R18.pbshost');
    expect([parsed.items[1]!.start, parsed.items[1]!.duration]).toEqual([utc(0, 17, 28), 3600]);
  });

  it('reads the t4 reservation once running', () => {
    const parsed = parseReservations(capture('t4-resv-running__pbs_rstat_f.txt'), {
      timezone: 'UTC',
    });
    expect(parsed.items.map((r) => [r.id, r.state, r.substate])).toEqual([
      ['R17.pbshost', 'RESV_RUNNING', 5],
      ['R18.pbshost', 'RESV_CONFIRMED', 2],
    ]);
  });

  it('reads standing reservations, TAB continuation lines and multi-node resv_nodes', () => {
    const text = [
      'Resv ID: S6703362.aurora',
      'Reserve_Name = HACC',
      'Reserve_Owner = richp@uan',
      'reserve_state = RESV_RUNNING',
      'reserve_start = Wed Aug 06 10:00:00 2025',
      'resv_nodes = (x4102c5s2b0n0:ncpus=208:ngpus=6)+(x4102c5s5b0n0:nc',
      '\tpus=208:ngpus=6)+(x4102c5s2b0n0:ncpus=1)',
      'reserve_rrule = FREQ=WEEKLY;COUNT=3',
      'reserve_index = 2',
      'reserve_count = 3',
      '',
    ].join('\n');
    const r = parseReservations(text, { timezone: 'America/Chicago' }).items[0]!;
    expect([r.nodes, r.rrule, r.index, r.count, r.start, r.owner]).toEqual([
      ['x4102c5s2b0n0', 'x4102c5s5b0n0'],
      'FREQ=WEEKLY;COUNT=3',
      2,
      3,
      Date.UTC(2025, 7, 6, 15) / 1000,
      'richp',
    ]);
  });

  it('reads empty output as none and rejects text that is not pbs_rstat -f', () => {
    expect(parseReservations('').items).toEqual([]);
    expect(() => parseReservations('Resv ID  Queue  User\n-----')).toThrow(PbsOutputError);
  });
});
