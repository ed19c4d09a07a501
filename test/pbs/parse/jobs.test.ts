import { describe, expect, it } from 'vitest';
import { parseJobs } from '../../../src/pbs/parse/index.js';
import { capture } from './helpers.js';

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number): number =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

describe('parseJobs on OpenPBS 23.06 captures', () => {
  it('reads job 1.pbshost (running) with every field', () => {
    const parsed = parseJobs(capture('t2-running__qstat_f_job1_F_json.json'), { timezone: 'UTC' });
    expect([parsed.timestamp, parsed.pbsVersion, parsed.pbsServer, parsed.repairs]).toEqual([
      1795819703,
      '23.06.06',
      'pbshost',
      [],
    ]);
    const { raw, ...job } = parsed.items[0]!;
    expect(job).toEqual({
      jobId: '1.pbshost',
      shortId: '1',
      server: 'pbshost',
      name: 'short_sleep',
      owner: 'alice',
      project: '_pbs_project_default',
      queue: 'workq',
      state: 'R',
      substate: 42,
      isArrayParent: false,
      arrayParentId: null,
      arrayIndex: null,
      arrayStateCount: null,
      arrayIndicesSubmitted: null,
      ctime: utc(2026, 11, 27, 22, 47, 55),
      qtime: utc(2026, 11, 27, 22, 47, 55),
      etime: utc(2026, 11, 27, 22, 47, 55),
      stime: utc(2026, 11, 27, 22, 48, 9),
      obittime: null,
      mtime: utc(2026, 11, 27, 22, 48, 16),
      historyTimestamp: null,
      estimatedStartTime: null,
      select: [{ count: 1, resources: { ncpus: '1', mem: '256mb' } }],
      selectText: '1:ncpus=1:mem=256mb',
      nodeCount: 1,
      ncpus: 1,
      ngpus: null,
      memBytes: 256 * 2 ** 20,
      walltimeRequested: 300,
      place: 'free',
      filesystems: null,
      resourceList: {
        mem: '256mb',
        ncpus: '1',
        nodect: '1',
        place: 'free',
        select: '1:ncpus=1:mem=256mb',
        walltime: '00:05:00',
      },
      walltimeUsed: 5,
      cputUsed: 0,
      memUsedBytes: 7296 * 1024,
      vmemUsedBytes: 10380 * 1024,
      cpupercent: 0,
      ncpusUsed: 1,
      execHost: 'pbshost/2',
      execVnode: '(pbshost:ncpus=1:mem=262144kb)',
      hosts: ['pbshost'],
      vnodes: [{ vnode: 'pbshost', host: 'pbshost', resources: { ncpus: '1', mem: '262144kb' } }],
      exitStatus: null,
      runCount: 1,
      comment: 'Job run at Fri Nov 27 at 22:48 on (pbshost:ncpus=1:mem=262144kb)',
      depend: 'beforeok:11.pbshost@pbshost',
      priority: 0,
      eligibleTime: 16,
      submitArguments: 'short_sleep.sh',
    });
    expect(Object.keys(raw)).toHaveLength(43);
    expect(raw.queue_rank).toBe(1795819675199395);
    expect((raw.Variable_List as Record<string, unknown>).PBS_O_HOST).toBe('pbshost');
  });

  it('reads times in the given zone', () => {
    const chicago = parseJobs(capture('t2-running__qstat_f_job1_F_json.json'), {
      timezone: 'America/Chicago',
    }).items[0]!;
    expect(chicago.ctime).toBe(utc(2026, 11, 27, 22, 47, 55) + 6 * 3600);
  });

  it('reads finished jobs with history_timestamp and negative exit status', () => {
    const done = parseJobs(capture('t3-mid__qstat_xf_job5_walltime_F_json.json'), {
      timezone: 'UTC',
    }).items[0]!;
    expect([done.state, done.exitStatus, done.historyTimestamp, done.obittime]).toEqual([
      'F',
      -29,
      1795819727,
      utc(2026, 11, 27, 22, 48, 47),
    ]);
    const one = parseJobs(capture('t5-completed__qstat_xf_job1_F_json.json'), { timezone: 'UTC' })
      .items[0]!;
    expect([one.state, one.substate, one.exitStatus, one.walltimeUsed, one.obittime]).toEqual([
      'F',
      92,
      0,
      120,
      utc(2026, 11, 27, 22, 50, 10),
    ]);
  });

  it('reads array parents and subjobs (qstat -x -t)', () => {
    const parsed = parseJobs(capture('t3-mid__qstat_xt_f_F_json.json'), { timezone: 'UTC' });
    expect(parsed.items).toHaveLength(22);
    expect(parsed.repairs).toEqual([]);
    const byId = new Map(parsed.items.map((j) => [j.jobId, j]));
    const parent = byId.get('4[].pbshost')!;
    expect([
      parent.shortId,
      parent.state,
      parent.substate,
      parent.isArrayParent,
      parent.arrayStateCount,
      parent.arrayIndicesSubmitted,
    ]).toEqual(['4[]', 'B', 70, true, { Queued: 0, Running: 2, Exiting: 0, Expired: 2 }, '1-4']);
    const sub = byId.get('4[3].pbshost')!;
    expect([
      sub.shortId,
      sub.server,
      sub.state,
      sub.isArrayParent,
      sub.arrayParentId,
      sub.arrayIndex,
      sub.hosts,
      sub.vnodes,
    ]).toEqual([
      '4[3]',
      'pbshost',
      'R',
      false,
      '4[].pbshost',
      3,
      ['pbshost'],
      [{ vnode: 'pbshost[1]', host: 'pbshost', resources: { ncpus: '1' } }],
    ]);
    expect(
      parsed.items
        .filter((j) => j.arrayParentId === '4[].pbshost')
        .map((j) => [j.arrayIndex, j.state]),
    ).toEqual([
      [1, 'X'],
      [2, 'X'],
      [3, 'R'],
      [4, 'R'],
    ]);
  });

  it('reads multi-vnode placements', () => {
    const parsed = parseJobs(capture('t2-running__qstat_f_F_json.json'), { timezone: 'UTC' });
    expect(parsed.items).toHaveLength(17);
    const nine = parsed.items.find((j) => j.jobId === '9.pbshost')!;
    expect([nine.execHost, nine.hosts, nine.nodeCount]).toEqual([
      'pbshost/8*2+pbshost/9*2',
      ['pbshost'],
      2,
    ]);
    expect(nine.vnodes).toEqual([
      { vnode: 'pbshost[1]', host: 'pbshost', resources: { ncpus: '2', mem: '524288kb' } },
      { vnode: 'pbshost[2]', host: 'pbshost', resources: { ncpus: '2', mem: '524288kb' } },
    ]);
    expect(nine.select).toEqual([{ count: 2, resources: { ncpus: '2', mem: '512mb' } }]);
  });

  it('keeps escaped quotes and backslashes of a weird environment exactly', () => {
    const job = parseJobs(capture('t2-running__qstat_f_job16_weird_env_F_json.json')).items[0]!;
    expect((job.raw.Variable_List as Record<string, unknown>).WEIRD).toBe(
      'he said \\"hi\\" & a \\\\back\\\\slash, comma; tab:\tend',
    );
  });

  it('reads header-only output (no Jobs key) as no jobs', () => {
    const parsed = parseJobs(capture('t5-completed__qstat_f_F_json.json'));
    expect([parsed.items, parsed.pbsServer, parsed.repairs]).toEqual([[], 'pbshost', []]);
  });

  it('reads estimated.start_time nested or flattened, UNKNOWN as null, and string exit codes', () => {
    const doc = (attrs: string): string =>
      `{"pbs_server":"s","Jobs":{"5.s":{"job_state":"Q",${attrs}}}}`;
    const est = (attrs: string): number | null =>
      parseJobs(doc(attrs), { timezone: 'UTC' }).items[0]!.estimatedStartTime;
    expect(
      est('"estimated":{"exec_vnode":"(n1:ncpus=1)","start_time":"Mon Apr 21 15:36:38 2025"}'),
    ).toBe(utc(2025, 4, 21, 15, 36, 38));
    expect(est('"estimated.start_time":"Mon Apr 21 15:36:38 2025"')).toBe(
      utc(2025, 4, 21, 15, 36, 38),
    );
    expect(est('"estimated":{"start_time":"UNKNOWN"}')).toBeNull();
    const j = parseJobs(
      doc(
        '"Exit_status":"-29","Account_Name":"ALCF","Job_Owner":"bob","Resource_List":{"select":40,"ngpus":6}',
      ),
    ).items[0]!;
    expect([j.exitStatus, j.project, j.owner, j.select, j.selectText, j.ngpus]).toEqual([
      -29,
      'ALCF',
      'bob',
      [{ count: 40, resources: {} }],
      '40',
      6,
    ]);
  });
});
