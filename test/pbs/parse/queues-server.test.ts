import { describe, expect, it } from 'vitest';
import { parseQueues, parseServer } from '../../../src/pbs/parse/index.js';
import { capture } from './helpers.js';

describe('parseQueues', () => {
  it('reads OpenPBS 23.06 queues with limits, maps and routes', () => {
    const parsed = parseQueues(capture('t2-running__qstat_Q_f_F_json.json'));
    expect(parsed.items.map((q) => q.name)).toEqual([
      'workq',
      'debug',
      'long',
      'express',
      'R17',
      'R18',
    ]);
    const { raw, ...workq } = parsed.items[0]!;
    expect(workq).toEqual({
      name: 'workq',
      type: 'Execution',
      enabled: true,
      started: true,
      priority: null,
      totalJobs: 17,
      stateCount: { Transit: 0, Queued: 3, Held: 4, Waiting: 1, Running: 8, Exiting: 0, Begun: 1 },
      limits: { max_run: ['[u:PBS_GENERIC=6]'] },
      resourcesMax: { walltime: '24:00:00' },
      resourcesMin: {},
      resourcesDefault: { walltime: '01:00:00' },
      resourcesAssigned: { mem: '1280mb', ncpus: '11', nodect: '9' },
      routeDestinations: [],
    });
    expect(raw.queue_type).toBe('Execution');
    const byName = new Map(parsed.items.map((q) => [q.name, q]));
    expect(byName.get('debug')!.priority).toBe(100);
    expect(byName.get('long')!.limits).toEqual({ max_queued: ['[o:PBS_ALL=100]'] });
    expect(byName.get('long')!.resourcesMin).toEqual({ walltime: '01:00:00' });
    expect([
      byName.get('express')!.type,
      byName.get('express')!.started,
      byName.get('express')!.routeDestinations,
    ]).toEqual(['Route', false, ['debug']]);
  });
});

describe('parseServer', () => {
  it('reads the OpenPBS 23.06 server', () => {
    const parsed = parseServer(capture('t2-running__qstat_B_f_F_json.json'));
    const { raw, ...server } = parsed.items[0]!;
    expect(server).toEqual({
      name: 'pbshost',
      version: '23.06.06',
      state: 'Active',
      stateCount: { Transit: 0, Queued: 5, Held: 4, Waiting: 1, Running: 10, Exiting: 0, Begun: 1 },
      totalJobs: 22,
      defaultQueue: 'workq',
      jobHistoryEnable: true,
      jobHistoryDuration: null,
      schedulerIteration: 30,
    });
    expect(raw.max_job_sequence_id).toBe(9999999);
  });

  it('reads job_history_duration as seconds', () => {
    const doc =
      '{"pbs_version":"2022.1.7","Server":{"aurora":{"server_state":"Scheduling","job_history_enable":"True","job_history_duration":"120:00:00"}}}';
    const s = parseServer(doc).items[0]!;
    expect([s.name, s.version, s.jobHistoryEnable, s.jobHistoryDuration]).toEqual([
      'aurora',
      '2022.1.7',
      true,
      432000,
    ]);
  });
});
