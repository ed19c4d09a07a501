import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStubPbs, captureSpec, type StubPbs } from '../helpers/stub-pbs.js';
import { runCli, tempHome } from '../helpers/run-cli.js';
import { requireBuild } from './cli-setup.js';

let t2: StubPbs;
beforeAll(() => {
  requireBuild();
  t2 = createStubPbs(captureSpec('t2-running'));
});
afterAll(() => t2.cleanup());

const PYTHON_CONFIG = `pbs:
  command_timeout: 30
  default_queue: default
  job_refresh_interval: 30
  qstat_path: qstat
display:
  max_table_width: 120
  auto_width: true
  use_colors: true
  time_format: '%d-%m %H:%M'
  default_job_columns: [job_id, state, queue, owner, project, allocation, nodes, walltime, node_hours, score, queue_time]
logging:
  level: INFO
  log_file: null
  log_format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
database:
  url: 'sqlite:///~/.pbs_monitor.db'
  schema: public
  job_collection_interval: 900
  daemon_enabled: true
  orphaned_job_detection: true
slack:
  enabled: false
`;

describe('config', () => {
  test('create writes a 0600 sample that validates, and refuses to overwrite without --force', () => {
    const home = tempHome();
    const path = join(home, '.pbs_monitor.yaml');
    const first = runCli(['config', 'create'], { home });
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`wrote ${path}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('command_timeout: 30');
    const v = runCli(['config', 'validate'], { home });
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${path}: valid\n`);
    writeFileSync(path, 'pbs: {command_timeout: 5}\n');
    const again = runCli(['config', 'create'], { home });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `pbs-monitor: ${path} already exists; not overwritten (use --force to replace it)\n`,
    );
    expect(readFileSync(path, 'utf8')).toBe('pbs: {command_timeout: 5}\n');
    expect(runCli(['config', 'create', '--force'], { home }).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('# pbs-monitor configuration');
    const other = runCli(['config', 'create', '--path', 'sub/dir/c.yaml'], { home });
    expect(other.code).toBe(0);
    expect(statSync(join(home, 'sub/dir/c.yaml')).mode & 0o777).toBe(0o600);
  });

  test('show prints the effective config with the password masked', () => {
    const home = tempHome();
    const path = join(home, '.pbs_monitor.yaml');
    writeFileSync(
      path,
      'database: {url: "postgresql://pbs:s3cret@db:5432/pbs"}\npbs: {timezone: UTC}\n',
      { mode: 0o600 },
    );
    const r = runCli(['config', 'show'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`# file: ${path}\n`);
    expect(r.stdout).toContain('url: postgresql://pbs:***@db:5432/pbs\n');
    expect(r.stdout).not.toContain('s3cret');
    const j = JSON.parse(runCli(['config', 'show', '--format', 'json'], { home }).stdout);
    expect(j.file).toBe(path);
    expect(j.config.database.url).toBe('postgresql://pbs:***@db:5432/pbs');
    expect(j.config.pbs.timezone).toBe('UTC');
    const env = runCli(['config', 'show', '--format', 'json'], {
      home,
      env: { PBS_MONITOR_DB_URL: 'postgresql://a:b@h/d' },
    });
    expect(JSON.parse(env.stdout).config.database.url).toBe('postgresql://a:***@h/d');
  });

  test('an unknown key makes every command exit 2, naming the file and the key', () => {
    const home = tempHome();
    const path = join(home, '.pbs_monitor.yaml');
    writeFileSync(path, 'display:\n  colour: false\n');
    const r = runCli(['jobs'], { home, pbsBin: t2.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `pbs-monitor: invalid configuration in ${path}: unknown key display.colour (expected one of: max_table_width, use_colors, default_job_columns, default_node_columns, default_queue_columns, max_name_length)\n`,
    );
    const v = runCli(['config', 'validate', path], { home: tempHome() });
    expect(v.code).toBe(2);
    expect(v.stderr).toBe(r.stderr);
    const gone = runCli(['config', 'validate', 'gone.yaml'], { home });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toBe(`pbs-monitor: ${join(home, 'gone.yaml')} does not exist\n`);
    const missing = runCli(['-c', 'nope.yaml', 'jobs'], { home, pbsBin: t2.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `pbs-monitor: configuration file ${join(home, 'nope.yaml')} (from --config) does not exist\n`,
    );
  });

  test("the Python pbs_monitor's config works: views run, notes explain what is ignored", () => {
    const home = tempHome();
    const path = join(home, '.pbs_monitor.yaml');
    writeFileSync(path, PYTHON_CONFIG, { mode: 0o600 });
    const r = runCli(['jobs', '--limit', '2'], { home, pbsBin: t2.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // its default_job_columns are honoured where they name a column we have
    expect(r.stdout).toBe(
      'JOB ID     S  QUEUE  OWNER  PROJECT               NODES  WALLTIME  SUBMITTED\n' +
        '1.pbshost  R  workq  alice  _pbs_project_default      1  00:05:00  2026-11-27 22:47\n' +
        '2.pbshost  R  workq  alice  _pbs_project_default      1  00:05:00  2026-11-27 22:47\n',
    );
    const v = runCli(['config', 'validate'], { home });
    expect(v.code).toBe(0);
    expect(v.stderr.split('\n')).toEqual([
      'note: slack: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: pbs.default_queue: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: pbs.job_refresh_interval: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: display.auto_width: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: display.time_format: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: logging.log_format: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: database.schema: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: database.orphaned_job_detection: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
      'note: pbs.qstat_path: not a path, so PBS binaries are searched as usual (it has no other effect)',
      '',
    ]);
  });

  test('pbs.command_timeout kills a hung PBS command: exit 3', () => {
    const home = tempHome();
    writeFileSync(join(home, '.pbs_monitor.yaml'), 'pbs: {command_timeout: 0.5}\n');
    const stub = createStubPbs({
      qstat: [{ args: ['-Q', '-f', '-F', 'json'], stdout: '{}', sleepMs: 20_000 }],
    });
    try {
      const started = Date.now();
      const r = runCli(['queues'], { home, pbsBin: stub.dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        'pbs-monitor: qstat -Q -f -F json: timed out after 0.5 s and was killed (pbs.command_timeout)\n',
      );
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      stub.cleanup();
    }
  });
});
