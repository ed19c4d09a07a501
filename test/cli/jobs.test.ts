import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStubPbs, captureSpec, type StubPbs } from '../helpers/stub-pbs.js';
import { runCli } from '../helpers/run-cli.js';
import { DOWN, patchedJobs, requireBuild } from './cli-setup.js';

let t2: StubPbs;
beforeAll(() => {
  requireBuild();
  t2 = createStubPbs(captureSpec('t2-running'));
});
afterAll(() => t2.cleanup());

const T2_TABLE = `JOB ID       NAME             OWNER  PROJECT               QUEUE    S  NODES  NCPUS  WALLTIME   ELAPSED  SUBMITTED
1.pbshost    short_sleep      alice  _pbs_project_default  workq    R      1      1  00:05:00  00:00:05  2026-11-27 22:47
2.pbshost    fail_exit3       alice  _pbs_project_default  workq    R      1      1  00:05:00  00:00:05  2026-11-27 22:47
3.pbshost    held_job         alice  _pbs_project_default  workq    H      1      1  00:05:00            2026-11-27 22:47
4[].pbshost  array_job        alice  _pbs_project_default  workq    B      1      1  00:10:00            2026-11-27 22:47
5.pbshost    walltime_exceed  alice  _pbs_project_default  debug    R      1      1  00:00:20  00:00:05  2026-11-27 22:47
6.pbshost    cpu_burner       alice  _pbs_project_default  workq    Q      1      1  00:10:00            2026-11-27 22:47
7.pbshost    gpu_job          alice  _pbs_project_default  workq    Q      1      2  00:10:00            2026-11-27 22:47
8.pbshost    long_sleep       bob    _pbs_project_default  long     S      1      1  02:00:00  00:00:00  2026-11-27 22:47
9.pbshost    multichunk       bob    _pbs_project_default  workq    R      2      4  00:10:00  00:00:05  2026-11-27 22:47
10.pbshost   too_big          bob    _pbs_project_default  workq    Q      1     32  00:10:00            2026-11-27 22:47
11.pbshost   dep_afterok      bob    _pbs_project_default  workq    H      1      1  00:05:00            2026-11-27 22:47
12.pbshost   dep_on_fail      bob    _pbs_project_default  workq    H      1      1  00:05:00            2026-11-27 22:47
13.pbshost   dep_afterany     alice  _pbs_project_default  workq    H      1      1  00:05:00            2026-11-27 22:47
14.pbshost   via_express      alice  _pbs_project_default  express  Q      1      1  00:05:00            2026-11-27 22:47
15.pbshost   deferred_job     alice  _pbs_project_default  workq    W      1      1  00:05:00            2026-11-27 22:47
16.pbshost   weird.env-job_1  bob    project_a             workq    R      1      1  00:10:00  00:00:05  2026-11-27 22:47
20.pbshost   in_resv          alice  _pbs_project_default  R17      Q      1      1  00:03:00            2026-11-27 22:48
`;

describe('jobs', () => {
  test('table of every job, in id order, plain in a pipe', () => {
    const r = runCli(['jobs'], { pbsBin: t2.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(T2_TABLE);
  });

  test('filters: user, states, queue, project substring', () => {
    const r = runCli(['jobs', '-u', 'bob', '-s', 'r,h', '--queue', 'workq', '-p', 'PROJECT'], {
      pbsBin: t2.dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual([
      'JOB',
      '9.pbshost',
      '11.pbshost',
      '12.pbshost',
      '16.pbshost',
      '',
    ]);
    const p = runCli(
      ['jobs', '-p', 'project_a', '--format', 'csv', '--columns', 'job_id,project'],
      { pbsBin: t2.dir },
    );
    expect(p.stdout).toBe('job_id,project\r\n16.pbshost,project_a\r\n');
  });

  test('sort, reverse and limit; subjobs with -t', () => {
    const r = runCli(
      [
        'jobs',
        '-t',
        '--sort',
        'ncpus',
        '--reverse',
        '--limit',
        '3',
        '--format',
        'csv',
        '--columns',
        'id,ncpus,array_parent,array_index',
      ],
      { pbsBin: t2.dir },
    );
    expect(r.stdout).toBe(
      'job_id,ncpus,array_parent,array_index\r\n10.pbshost,32,,\r\n9.pbshost,4,,\r\n7.pbshost,2,,\r\n',
    );
    const s = runCli(
      ['jobs', '-t', '-s', 'R', '--format', 'csv', '--columns', 'job_id,array_parent,array_index'],
      { pbsBin: t2.dir },
    );
    expect(s.stdout).toContain('4[1].pbshost,4[].pbshost,1\r\n');
  });

  test('--format json: documented snake_case fields, ISO-8601 UTC times, nulls', () => {
    const r = runCli(['jobs', '--format', 'json', '--limit', '1'], { pbsBin: t2.dir });
    expect(JSON.parse(r.stdout)).toEqual([
      {
        job_id: '1.pbshost',
        name: 'short_sleep',
        owner: 'alice',
        project: '_pbs_project_default',
        queue: 'workq',
        state: 'R',
        substate: 42,
        nodes: 1,
        ncpus: 1,
        ngpus: null,
        mem_requested_bytes: 268435456,
        walltime_requested_s: 300,
        walltime_used_s: 5,
        cput_used_s: 0,
        mem_used_bytes: 7471104,
        submit_time: '2026-11-27T22:47:55Z',
        eligible_time: '2026-11-27T22:47:55Z',
        start_time: '2026-11-27T22:48:09Z',
        end_time: null,
        exit_status: null,
        run_count: 1,
        priority: 0,
        exec_hosts: ['pbshost'],
        select: '1:ncpus=1:mem=256mb',
        place: 'free',
        depend: 'beforeok:11.pbshost@pbshost',
        comment: 'Job run at Fri Nov 27 at 22:48 on (pbshost:ncpus=1:mem=262144kb)',
        is_array_parent: false,
        array_parent: null,
        array_index: null,
      },
    ]);
  });

  test('finished jobs with -x: exit status 0 stays 0, -29 stays a number in CSV', () => {
    const t5 = createStubPbs(captureSpec('t5-completed'));
    try {
      const r = runCli(
        ['jobs', '-x', '--format', 'csv', '--columns', 'job_id,exit_status', '--sort', 'exit'],
        { pbsBin: t5.dir },
      );
      expect(r.stdout.split('\r\n').slice(0, 4)).toEqual([
        'job_id,exit_status',
        '5.pbshost,-29',
        '0.pbshost,0',
        '1.pbshost,0',
      ]);
      expect(r.stdout).toContain('21.pbshost,271\r\n');
      expect(r.stdout).toContain('10.pbshost,\r\n');
      const idle = runCli(['jobs'], { pbsBin: t5.dir });
      expect(idle.code).toBe(0);
      expect(idle.stdout).toBe(
        'JOB ID  NAME  OWNER  PROJECT  QUEUE  S  NODES  NCPUS  WALLTIME  ELAPSED  SUBMITTED\n',
      );
      expect(idle.stderr).toBe('no jobs match\n');
      const json = runCli(['jobs', '--format', 'json'], { pbsBin: t5.dir });
      expect(json.stdout).toBe('[]\n');
    } finally {
      t5.cleanup();
    }
  });

  test('hostile job names: escapes neutralised in tables, formulas neutralised in CSV', () => {
    const file = patchedJobs('t2-running__qstat_f_F_json.json', {
      '1.pbshost': { Job_Name: 'evil\u001b[2J\u001b[31mred\u202etxt.exe' },
      '2.pbshost': { Job_Name: '=HYPERLINK("http://x","y")' },
      '3.pbshost': { Job_Name: '-2+3' },
    });
    const stub = createStubPbs({ qstat: [{ args: ['-f', '-F', 'json'], file }] });
    try {
      const t = runCli(['jobs', '--columns', 'job_id,name', '--limit', '3'], { pbsBin: stub.dir });
      expect(t.stdout).toBe(
        'JOB ID     NAME\n' +
          '1.pbshost  evil\\x1b[2J\\x1b[31mred\\u202etxt.exe\n' +
          '2.pbshost  =HYPERLINK("http://x","y")\n' +
          '3.pbshost  -2+3\n',
      );
      const c = runCli(['jobs', '--format', 'csv', '--columns', 'job_id,name', '--limit', '3'], {
        pbsBin: stub.dir,
      });
      expect(c.stdout).toBe(
        'job_id,name\r\n' +
          '1.pbshost,evil\u001b[2J\u001b[31mred\u202etxt.exe\r\n' +
          `2.pbshost,"'=HYPERLINK(""http://x"",""y"")"\r\n` +
          "3.pbshost,'-2+3\r\n",
      );
    } finally {
      stub.cleanup();
    }
  });

  test('usage errors exit 2: unknown column, unknown state, bad limit, bad format', () => {
    const col = runCli(['jobs', '--columns', 'job_id,colour'], { pbsBin: t2.dir });
    expect(col.code).toBe(2);
    expect(col.stderr).toMatch(
      /^pbs-monitor: unknown column colour; choose from: job_id, name, owner,/,
    );
    const st = runCli(['jobs', '-s', 'R,Z'], { pbsBin: t2.dir });
    expect(st.code).toBe(2);
    expect(st.stderr).toBe(
      'pbs-monitor: unknown job state Z; states are Q, H, W, T, R, E, S, U, B, X, F, M\n',
    );
    expect(runCli(['jobs', '--limit', '0'], { pbsBin: t2.dir }).code).toBe(2);
    expect(runCli(['jobs', '--format', 'xml'], { pbsBin: t2.dir }).code).toBe(2);
  });

  test('a down server: "cannot reach PBS server", exit 3, nothing on stdout', () => {
    const stub = createStubPbs({ qstat: [{ args: ['-f', '-F', 'json'], ...DOWN }] });
    try {
      const r = runCli(['jobs'], { pbsBin: stub.dir });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'pbs-monitor: cannot reach PBS server pbshost: Connection refused; qstat: cannot connect to server pbshost (errno=15010) (qstat -f -F json exited 255)\n',
      );
    } finally {
      stub.cleanup();
    }
  });

  test('PBS not installed: exit 3 naming where it looked', () => {
    const stub = createStubPbs({});
    try {
      const r = runCli(['jobs'], { env: { PBS_MONITOR_PBS_BIN: `${stub.dir}/none` } });
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        `pbs-monitor: qstat: not found (looked in PBS_MONITOR_PBS_BIN=${stub.dir}/none, PATH, /opt/pbs/bin); set pbs.bin_dir in the config or PBS_MONITOR_PBS_BIN\n`,
      );
    } finally {
      stub.cleanup();
    }
  });
});

describe('job show', () => {
  test('one finished job in full via qstat -x, then its raw attributes', () => {
    const stub = createStubPbs({
      qstat: [
        {
          args: ['-f', '-F', 'json', '-x', '1.pbshost'],
          file: 't5-completed__qstat_xf_job1_F_json.json',
        },
      ],
    });
    try {
      const r = runCli(['job', 'show', '1.pbshost'], { pbsBin: stub.dir });
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines.slice(0, 6)).toEqual([
        'job_id                1.pbshost',
        'name                  short_sleep',
        'owner                 alice',
        'project               _pbs_project_default',
        'queue                 workq',
        'state                 F',
      ]);
      expect(lines).toContain('exit_status           0');
      expect(lines).toContain('end_time              2026-11-27 22:50');
      expect(lines).toContain('PBS attributes:');
      expect(lines).toContain(
        '  Resource_List.select                            1:ncpus=1:mem=256mb',
      );
      const j = JSON.parse(
        runCli(['job', 'show', '1.pbshost', '--format', 'json'], { pbsBin: stub.dir }).stdout,
      );
      expect(j.exit_status).toBe(0);
      expect(j.end_time).toBe('2026-11-27T22:50:10Z');
      expect(j.raw.Exit_status).toBe(0);
      expect(j.stored_lifecycle).toBeNull();
    } finally {
      stub.cleanup();
    }
  });

  test('an unknown id: exit 1 with a clear message', () => {
    const stub = createStubPbs({
      qstat: [
        {
          args: ['-f', '-F', 'json', '-x', '99999.pbshost'],
          file: 't2-running__qstat_f_nonexistent_F_json.json',
          stderr: 'qstat: Unknown Job Id 99999.pbshost\n',
          exit: 153,
        },
      ],
    });
    try {
      const r = runCli(['job', 'show', '99999.pbshost'], { pbsBin: stub.dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'pbs-monitor: job 99999.pbshost not found (neither PBS — finished jobs stay there only for job_history_duration — nor the history database knows it)\n',
      );
    } finally {
      stub.cleanup();
    }
  });
});
