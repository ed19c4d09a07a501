import { afterEach, describe, expect, test } from 'vitest';
import { createPbsClient, PER_ID_LIMIT } from '../../src/pbs/client.js';
import { formatQselectTime } from '../../src/pbs/qselect-time.js';
import { PbsCommandError } from '../../src/pbs/errors.js';
import { defaultConfig, type Config } from '../../src/config/schema.js';
import { createLogger } from '../../src/util/logger.js';
import { createStubPbs, captureSpec, type StubPbs, type StubSpec } from '../helpers/stub-pbs.js';
import { Writable } from 'node:stream';

const HEADER =
  '{\n\t"timestamp":\t1795820026,\n\t"pbs_version":\t"23.06.06",\n\t"pbs_server":\t"pbshost"\n}\n';
let stub: StubPbs | undefined;
afterEach(() => {
  stub?.cleanup();
  stub = undefined;
});

const sink = new Writable({ write: (_c, _e, cb) => cb() });
function client(spec: StubSpec, patch: Partial<Config['pbs']> = {}) {
  stub = createStubPbs(spec);
  const config = defaultConfig();
  config.pbs = { ...config.pbs, bin_dir: stub.dir, ...patch };
  return createPbsClient({
    config,
    env: { PATH: '/usr/bin:/bin' },
    logger: createLogger({ level: 'error', file: null, stderr: sink }),
  });
}

describe('client', () => {
  test('jobs: qstat -f -F json, parsed with ids in PBS order', async () => {
    const c = client(captureSpec('t2-running'));
    const r = await c.jobs();
    expect(r.items.map((j) => j.jobId)).toEqual([
      '1.pbshost',
      '2.pbshost',
      '3.pbshost',
      '4[].pbshost',
      '5.pbshost',
      '6.pbshost',
      '7.pbshost',
      '8.pbshost',
      '9.pbshost',
      '10.pbshost',
      '11.pbshost',
      '12.pbshost',
      '13.pbshost',
      '14.pbshost',
      '15.pbshost',
      '16.pbshost',
      '20.pbshost',
    ]);
    expect(r.pbsServer).toBe('pbshost');
    expect(stub!.calls().map((x) => x.args)).toEqual([['-f', '-F', 'json']]);
    const t = c.takeTimings();
    expect(t.map((x) => x.command)).toEqual(['qstat -f -F json']);
    expect(t[0]!.bytes).toBe(30144);
  });

  test('jobs: -x and -t are passed; -u filters on the owner here', async () => {
    const c = client(captureSpec('t2-running'));
    const r = await c.jobs({ subjobs: true, user: 'bob' });
    expect(r.items.map((j) => j.jobId)).toEqual([
      '8.pbshost',
      '9.pbshost',
      '10.pbshost',
      '11.pbshost',
      '12.pbshost',
      '16.pbshost',
    ]);
    expect(stub!.calls().map((x) => x.args)).toEqual([['-f', '-F', 'json', '-t']]);
  });

  test('jobs by id: one qstat per id (PBS returns only the first of several); unknown ids are absent', async () => {
    const c = client({
      qstat: [
        {
          args: ['-f', '-F', 'json', '-x', '1.pbshost'],
          file: 't5-completed__qstat_xf_job1_F_json.json',
        },
        {
          args: ['-f', '-F', 'json', '-x', '21.pbshost'],
          file: 't5-completed__qstat_xf_job21_qdel_running_F_json.json',
        },
        {
          args: ['-f', '-F', 'json', '-x', '99999.pbshost'],
          stdout: HEADER,
          stderr: 'qstat: Unknown Job Id 99999.pbshost\n',
          exit: 153,
        },
      ],
    });
    const r = await c.jobs({ finished: true, ids: ['1.pbshost', '99999.pbshost', '21.pbshost'] });
    expect(r.items.map((j) => [j.jobId, j.state, j.exitStatus])).toEqual([
      ['1.pbshost', 'F', 0],
      ['21.pbshost', 'F', 271],
    ]);
    expect(stub!.calls()).toHaveLength(3);
  });

  test('more ids than PER_ID_LIMIT: one full dump, filtered here', async () => {
    const c = client(captureSpec('t2-running'));
    const ids = Array.from({ length: PER_ID_LIMIT + 1 }, (_, i) => `${i + 100}.pbshost`);
    ids[0] = '9.pbshost';
    ids[1] = '16';
    const r = await c.jobs({ ids });
    expect(r.items.map((j) => j.jobId)).toEqual(['9.pbshost', '16.pbshost']);
    expect(stub!.calls().map((x) => x.args)).toEqual([['-f', '-F', 'json']]);
  });

  test('a finished job asked for without -x (exit 35) is absent, not an error', async () => {
    const c = client({
      qstat: [
        {
          args: ['-f', '-F', 'json', '2.pbshost'],
          file: 't3-mid__qstat_f_job2_without_x_F_json.json',
          stderr:
            'qstat: 2.pbshost Job has finished, use -x or -H to obtain historical job information\n',
          exit: 35,
        },
      ],
    });
    expect((await c.jobs({ ids: ['2.pbshost'] })).items).toEqual([]);
  });

  test('an idle server (header only, exit 0) is an empty list', async () => {
    const c = client({
      qstat: [{ args: ['-f', '-F', 'json'], file: 't5-completed__qstat_f_F_json.json' }],
    });
    const r = await c.jobs();
    expect(r.items).toEqual([]);
    expect(r.timestamp).toBe(1795820026);
  });

  test('a down server is an error, never an empty list', async () => {
    const c = client({
      qstat: [
        {
          args: ['-f', '-F', 'json'],
          stdout: HEADER,
          stderr: 'Connection refused\nqstat: cannot connect to server pbshost (errno=15010)\n',
          exit: 255,
        },
      ],
    });
    const e = (await c.jobs().catch((x: unknown) => x)) as PbsCommandError;
    expect(e).toBeInstanceOf(PbsCommandError);
    expect(e.serverDown).toBe(true);
  });

  test('nodes, vnodes, queues, server and reservations use the documented commands', async () => {
    const c = client(captureSpec('t2-running'));
    expect((await c.nodes()).items.map((n) => n.name)).toEqual(['pbshost']);
    expect((await c.nodes({ vnodes: true })).items.map((n) => n.name)).toEqual([
      'pbshost',
      'pbshost[0]',
      'pbshost[1]',
      'pbshost[2]',
    ]);
    expect((await c.queues()).items.map((q) => q.name).sort()).toEqual([
      'R17',
      'R18',
      'debug',
      'express',
      'long',
      'workq',
    ]);
    expect((await c.server()).items.map((s) => [s.name, s.state])).toEqual([['pbshost', 'Active']]);
    expect((await c.reservations()).items.map((r) => r.id)).toEqual(['R17.pbshost', 'R18.pbshost']);
    expect(stub!.calls().map((x) => [x.command, ...x.args].join(' '))).toEqual([
      'pbsnodes -a -F json',
      'pbsnodes -av -F json',
      'qstat -Q -f -F json',
      'qstat -B -f -F json',
      'pbs_rstat -f',
    ]);
  });

  test('selectModifiedSince sends the full CCYYMMDDhhmm.SS form in the configured zone', async () => {
    // 1795819675 = 2026-11-27 22:47:55 UTC = 16:47:55 in Chicago (CST)
    const c = client(
      {
        qselect: [
          {
            args: ['-x', '-t', 'm.gt.202611271647.55'],
            stdout: '1.pbshost\n4[].pbshost\n',
          },
        ],
      },
      { timezone: 'America/Chicago' },
    );
    expect(await c.selectModifiedSince(1795819675)).toEqual(['1.pbshost', '4[].pbshost']);
    expect(stub!.calls()[0]!.TZ).toBe('America/Chicago');
  });

  test('times are read in pbs.timezone', async () => {
    const utc = client(
      {
        qstat: [
          {
            args: ['-f', '-F', 'json', '-x', '1.pbshost'],
            file: 't5-completed__qstat_xf_job1_F_json.json',
          },
        ],
      },
      { timezone: 'UTC' },
    );
    const a = (await utc.jobs({ finished: true, ids: ['1.pbshost'] })).items[0]!;
    stub!.cleanup();
    const chi = client(
      {
        qstat: [
          {
            args: ['-f', '-F', 'json', '-x', '1.pbshost'],
            file: 't5-completed__qstat_xf_job1_F_json.json',
          },
        ],
      },
      { timezone: 'America/Chicago' },
    );
    const b = (await chi.jobs({ finished: true, ids: ['1.pbshost'] })).items[0]!;
    expect(a.ctime).toBe(1795819675);
    expect(b.ctime! - a.ctime!).toBe(6 * 3600);
  });
});

test('formatQselectTime pads every part', () => {
  expect(formatQselectTime(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 'UTC')).toBe('202601020304.05');
});
