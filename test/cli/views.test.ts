import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStubPbs, captureSpec, type StubPbs } from '../helpers/stub-pbs.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempHome } from '../helpers/run-cli.js';
import { requireBuild } from './cli-setup.js';

let t2: StubPbs;
beforeAll(() => {
  requireBuild();
  t2 = createStubPbs(captureSpec('t2-running'));
});
afterAll(() => t2.cleanup());

describe('nodes', () => {
  test('hosts by default (pbsnodes -a collapses a multi-vnode host)', () => {
    const r = runCli(['nodes'], { pbsBin: t2.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'NODE     STATE      CPUS USED  NCPUS  NGPUS     MEM  JOBS\n' +
        'pbshost  <various>         12     18      2  56 GiB     9\n',
    );
  });

  test('--vnodes --detailed, and a state filter', () => {
    const r = runCli(['nodes', '--vnodes', '--detailed'], { pbsBin: t2.dir });
    expect(r.stdout).toBe(
      'NODE        STATE     CPUS USED  NCPUS  GPUS USED  NGPUS  MEM USED     MEM  JOB IDS                              STATE SINCE       COMMENT\n' +
        'pbshost     job-busy          2      2          0          256 MiB  24 GiB  5.pbshost,1.pbshost                  2026-11-27 22:48\n' +
        'pbshost[0]  free              3      4          0              0 B   8 GiB  2.pbshost,4[1].pbshost,4[2].pbshost  2026-11-27 22:48\n' +
        'pbshost[1]  job-busy          4      4          0          512 MiB   8 GiB  4[3].pbshost,4[4].pbshost,9.pbshost  2026-11-27 22:48\n' +
        'pbshost[2]  free              3      8          0      2   512 MiB  16 GiB  9.pbshost,16.pbshost                 2026-11-27 22:46\n',
    );
    const f = runCli(['nodes', '--vnodes', '-s', 'free', '--format', 'json'], { pbsBin: t2.dir });
    const rows = JSON.parse(f.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((n) => n.name)).toEqual(['pbshost[0]', 'pbshost[2]']);
    expect(rows[1]).toMatchObject({
      name: 'pbshost[2]',
      state: 'free',
      states: ['free'],
      ncpus: 8,
      ncpus_assigned: 3,
      ngpus: 2,
      mem_bytes: 17179869184,
      jobs: ['9.pbshost', '16.pbshost'],
      job_count: 2,
    });
  });
});

test('queues', () => {
  const r = runCli(['queues'], { pbsBin: t2.dir });
  expect(r.stdout).toBe(
    'QUEUE    TYPE       STATUS   PRIO  TOTAL  QUEUED  RUNNING  HELD  MAX WALLTIME\n' +
      'debug    Execution  active    100      1       0        1     0      00:30:00\n' +
      'express  Route      stopped            1       1        0     0\n' +
      'long     Execution  active     10      1       0        1     0   7d 00:00:00\n' +
      'R17      Execution  stopped            1       1        0     0\n' +
      'R18      Execution  stopped            0       0        0     0\n' +
      'workq    Execution  active            17       3        8     4   1d 00:00:00\n',
  );
  const c = runCli(['queues', '--format', 'csv', '--columns', 'name,queued,running,held'], {
    pbsBin: t2.dir,
  });
  expect(c.stdout).toBe(
    'name,queued,running,held\r\ndebug,0,1,0\r\nexpress,1,0,0\r\nlong,0,1,0\r\nR17,1,0,0\r\nR18,0,0,0\r\nworkq,3,8,4\r\n',
  );
});

test('status: server, nodes and jobs by state, queues, utilization', () => {
  const r = runCli(['status'], { pbsBin: t2.dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`Server   pbshost (PBS 23.06.06), Active
Jobs     22 in PBS now
History  enabled, finished jobs kept 14d 00:00:00

Nodes (4)
STATE     COUNT
job-busy      2
free          2

Jobs by state
STATE    COUNT
transit      0
queued       5
held         4
waiting      1
running     10
exiting      0
begun        1

Queues
QUEUE    QUEUED  RUNNING  HELD  TOTAL
debug         0        1     0      1
express       1        0     0      1
long          0        1     0      1
R17           1        0     0      1
R18           0        0     0      0
workq         3        8     4     17

Utilization (of available nodes)
RESOURCE  ASSIGNED  AVAILABLE  TOTAL    USED
nodes            4          4      4  100.0%
cores           12         18     18   66.7%
gpus             0          2      2    0.0%
`);
  const j = JSON.parse(runCli(['status', '--format', 'json'], { pbsBin: t2.dir }).stdout);
  expect(j.utilization).toEqual({
    nodes: { assigned: 4, available: 4, total: 4 },
    cores: { assigned: 12, available: 18, total: 18 },
    gpus: { assigned: 0, available: 2, total: 2 },
  });
  expect(j.jobs_by_state.running).toBe(10);
  expect(j.server).toEqual({
    name: 'pbshost',
    version: '23.06.06',
    state: 'Active',
    total_jobs: 22,
    job_history_enable: true,
    job_history_duration_s: 1209600,
  });
});

describe('resv', () => {
  test('list and show', () => {
    const r = runCli(['resv', 'list'], { pbsBin: t2.dir });
    expect(r.stdout).toBe(
      'RESV ID      NAME        OWNER  STATE      QUEUE  START             END               DURATION  NODES\n' +
        'R17.pbshost  alice_resv  alice  CONFIRMED  R17    2026-11-27 22:52  2026-11-27 23:04  00:12:00  pbshost\n' +
        'R18.pbshost  bob_future  bob    CONFIRMED  R18    2026-11-28 00:17  2026-11-28 01:17  01:00:00  pbshost\n',
    );
    const s = JSON.parse(
      runCli(['resv', 'show', 'R18', '--format', 'json'], { pbsBin: t2.dir }).stdout,
    );
    expect(s).toMatchObject({
      resv_id: 'R18.pbshost',
      owner: 'bob',
      state: 'CONFIRMED',
      start_time: '2026-11-28T00:17:00Z',
      end_time: '2026-11-28T01:17:00Z',
      duration_s: 3600,
    });
    expect(s.raw.Authorized_Users).toBe('bob,alice,bob@pbshost');
    const missing = runCli(['resv', 'show', 'R99'], { pbsBin: t2.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'pbs-monitor: reservation R99 not found (pbs_rstat does not list it)\n',
    );
  });
});

test('--help on every command exits 0 and names its flags', () => {
  const cases: Array<[string[], string]> = [
    [['status', '--help'], '--collect'],
    [['jobs', '--help'], '--subjobs'],
    [['job', 'show', '--help'], '<id>'],
    [['nodes', '--help'], '--vnodes'],
    [['queues', '--help'], '--format'],
    [['resv', 'list', '--help'], '--format'],
    [['resv', 'show', '--help'], '<id>'],
    [['config', 'create', '--help'], '--force'],
    [['config', 'show', '--help'], '--format'],
    [['config', 'validate', '--help'], '[file]'],
  ];
  for (const [args, flag] of cases) {
    const r = runCli(args);
    expect(r.code, args.join(' ')).toBe(0);
    expect(r.stdout, args.join(' ')).toContain(flag);
  }
});

describe('--collect and database.auto_persist', () => {
  test('--collect stores after showing: a missing database fails loudly (exit 4), the view is still shown', () => {
    const home = tempHome();
    const r = runCli(['queues', '--collect', '--columns', 'name'], { pbsBin: t2.dir, home });
    expect(r.stdout).toBe('QUEUE\ndebug\nexpress\nlong\nR17\nR18\nworkq\n');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^pbs-monitor: .*database/);
  });

  test('auto_persist only warns when it cannot store: exit 0', () => {
    const home = tempHome();
    writeFileSync(join(home, '.pbs_monitor.yaml'), 'database: {auto_persist: true}\n');
    const r = runCli(['queues', '--columns', 'name'], { pbsBin: t2.dir, home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('QUEUE\ndebug\nexpress\nlong\nR17\nR18\nworkq\n');
    expect(r.stderr).toMatch(
      /^pbs-monitor: warning: database.auto_persist: could not store this view: .*database/,
    );
  });
});
