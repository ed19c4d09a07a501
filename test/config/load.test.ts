import { describe, expect, test } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, configSearchPaths } from '../../src/config/load.js';
import { UsageError } from '../../src/cli/errors.js';
import { defaultConfig } from '../../src/config/schema.js';

function dirs() {
  const home = mkdtempSync(join(tmpdir(), 'cfg-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'cfg-cwd-'));
  return { home, cwd };
}

async function loadError(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(UsageError);
  return e as UsageError;
}

const PYTHON_CONFIG = `pbs:
  command_timeout: 45
  default_queue: default
  job_refresh_interval: 30
  node_refresh_interval: 60
  queue_refresh_interval: 300
  server_refresh_interval: 3600
  qstat_path: /opt/pbs/bin/qstat
  pbsnodes_path: /opt/pbs/bin/pbsnodes
  qsub_path: qsub
display:
  max_table_width: 120
  auto_width: true
  min_column_width: 8
  max_column_width: 50
  truncate_long_names: true
  max_name_length: 20
  expand_columns: true
  word_wrap: false
  use_colors: true
  time_format: '%d-%m %H:%M'
  default_job_columns: [job_id, state, queue, owner, project, allocation, nodes, walltime, node_hours, score, queue_time]
  default_node_columns: [name, state, ncpus, memory, jobs, load]
  default_queue_columns: [name, status, running, queued, held]
logging:
  level: INFO
  log_file: ~/pbs.log
  log_format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
  date_format: '%d-%m %H:%M'
database:
  url: sqlite:///~/.pbs_monitor.db
  schema: public
  pool_size: 5
  max_overflow: 10
  echo_sql: false
  job_collection_interval: 600
  node_collection_interval: 1200
  queue_collection_interval: 2400
  snapshot_interval: 1800
  job_history_days: 100
  snapshot_retention_days: 30
  daemon_enabled: false
  auto_persist: false
  auto_persist_interval: 300
  batch_size: 1000
  orphaned_job_detection: true
  orphaned_job_threshold_minutes: 60
  missing_reservation_detection: true
  missing_reservation_threshold_minutes: 30
  history_reconciliation_enabled: true
  history_reconciliation_interval_seconds: 43200
  history_reconciliation_batch_size: 500
  history_reconciliation_shutdown_timeout_seconds: 30
slack:
  enabled: false
  webhook_url: null
  rules: []
`;

describe('loadConfig', () => {
  test('no file anywhere: defaults, path null', async () => {
    const { home, cwd } = dirs();
    const r = await loadConfig({ env: {}, home, cwd });
    expect(r.path).toBeNull();
    expect(r.notes).toEqual([]);
    expect(r.config.pbs.command_timeout).toBe(30);
    expect(r.config.collection.spool_dir).toBe(join(home, '.pbs_monitor/spool'));
  });

  test('search order: ~/.pbs_monitor.yaml wins over ./pbs_monitor.yaml', async () => {
    const { home, cwd } = dirs();
    expect(configSearchPaths(home, cwd)).toEqual([
      join(home, '.pbs_monitor.yaml'),
      join(home, '.config/pbs_monitor/config.yaml'),
      '/etc/pbs_monitor/config.yaml',
      join(cwd, 'pbs_monitor.yaml'),
    ]);
    writeFileSync(join(cwd, 'pbs_monitor.yaml'), 'pbs: {command_timeout: 5}\n');
    expect((await loadConfig({ env: {}, home, cwd })).config.pbs.command_timeout).toBe(5);
    mkdirSync(join(home, '.config/pbs_monitor'), { recursive: true });
    writeFileSync(join(home, '.config/pbs_monitor/config.yaml'), 'pbs: {command_timeout: 7}\n');
    expect((await loadConfig({ env: {}, home, cwd })).config.pbs.command_timeout).toBe(7);
    writeFileSync(join(home, '.pbs_monitor.yaml'), 'pbs: {command_timeout: 9}\n');
    const r = await loadConfig({ env: {}, home, cwd });
    expect(r.config.pbs.command_timeout).toBe(9);
    expect(r.path).toBe(join(home, '.pbs_monitor.yaml'));
  });

  test('--config and PBS_MONITOR_CONFIG override; a missing named file is an error', async () => {
    const { home, cwd } = dirs();
    writeFileSync(join(home, '.pbs_monitor.yaml'), 'pbs: {command_timeout: 9}\n');
    writeFileSync(join(cwd, 'a.yaml'), 'pbs: {command_timeout: 11}\n');
    writeFileSync(join(cwd, 'b.yaml'), 'pbs: {command_timeout: 12}\n');
    const viaEnv = await loadConfig({ env: { PBS_MONITOR_CONFIG: 'b.yaml' }, home, cwd });
    expect(viaEnv.config.pbs.command_timeout).toBe(12);
    const explicit = await loadConfig({
      explicitPath: 'a.yaml',
      env: { PBS_MONITOR_CONFIG: 'b.yaml' },
      home,
      cwd,
    });
    expect(explicit.config.pbs.command_timeout).toBe(11);
    const e = await loadError(loadConfig({ explicitPath: 'nope.yaml', env: {}, home, cwd }));
    expect(e.message).toBe(
      `configuration file ${join(cwd, 'nope.yaml')} (from --config) does not exist`,
    );
    expect(e.exitCode).toBe(2);
  });

  test('an unknown key names the file, the key path and what is allowed', async () => {
    const { home, cwd } = dirs();
    const file = join(home, '.pbs_monitor.yaml');
    writeFileSync(file, 'pbs:\n  comand_timeout: 5\n');
    const e = await loadError(loadConfig({ env: {}, home, cwd }));
    expect(e.message).toBe(
      `invalid configuration in ${file}: unknown key pbs.comand_timeout (expected one of: bin_dir, command_timeout, timezone, server)`,
    );
  });

  test('an unknown section and a wrong type are both reported', async () => {
    const { home, cwd } = dirs();
    const file = join(home, '.pbs_monitor.yaml');
    writeFileSync(file, 'pbs:\n  command_timeout: soon\nweather: {sunny: true}\n');
    const e = await loadError(loadConfig({ env: {}, home, cwd }));
    expect(e.message).toBe(
      `invalid configuration in ${file}: pbs.command_timeout: expected number, got string; unknown key weather (expected one of: pbs, database, collection, logging, display, retention, daemon)`,
    );
  });

  test('a bad value in a mapped Python key names the Python key', async () => {
    const { home, cwd } = dirs();
    const file = join(home, '.pbs_monitor.yaml');
    writeFileSync(file, 'database:\n  job_collection_interval: often\n');
    const e = await loadError(loadConfig({ env: {}, home, cwd }));
    expect(e.message).toBe(
      `invalid configuration in ${file}: database.job_collection_interval: expected number, got string`,
    );
  });

  test('invalid YAML names the file and line', async () => {
    const { home, cwd } = dirs();
    const file = join(home, '.pbs_monitor.yaml');
    writeFileSync(file, 'pbs:\n  command_timeout: 5\n  command_timeout: 6\n');
    const e = await loadError(loadConfig({ env: {}, home, cwd }));
    expect(e.message).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')} line 3: invalid YAML: `));
  });

  test('an empty file is the defaults', async () => {
    const { home, cwd } = dirs();
    writeFileSync(join(home, '.pbs_monitor.yaml'), '# nothing yet\n');
    const r = await loadConfig({ env: {}, home, cwd });
    expect(r.config).toEqual({
      ...defaultConfig(),
      collection: { ...defaultConfig().collection, spool_dir: join(home, '.pbs_monitor/spool') },
      daemon: { pid_file: join(home, '.pbs_monitor_daemon.pid') },
    });
  });

  test("the Python pbs_monitor's config is accepted: mapped keys honoured, the rest noted", async () => {
    const { home, cwd } = dirs();
    const file = join(home, '.pbs_monitor.yaml');
    writeFileSync(file, PYTHON_CONFIG);
    chmodSync(file, 0o600);
    const r = await loadConfig({ env: {}, home, cwd });
    const c = r.config;
    expect(c.pbs.command_timeout).toBe(45);
    expect(c.pbs.bin_dir).toBe('/opt/pbs/bin');
    expect(c.collection).toMatchObject({
      job_interval: 600,
      node_interval: 1200,
      queue_interval: 2400,
      snapshot_interval: 1800,
      daemon_enabled: false,
    });
    expect(c.retention).toEqual({ job_history_days: 100, snapshot_days: 30 });
    expect(c.logging).toEqual({ level: 'info', file: join(home, 'pbs.log') });
    expect(c.display.max_table_width).toBe(120);
    expect(c.display.max_name_length).toBe(20);
    expect(c.display.default_node_columns).toEqual([
      'name',
      'state',
      'ncpus',
      'memory',
      'jobs',
      'load',
    ]);
    expect(r.notes).toContain(
      'slack: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
    );
    expect(r.notes).toContain(
      'pbs.default_queue: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
    );
    expect(r.notes).toContain(
      'display.word_wrap: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
    );
    expect(r.notes).toContain(
      'database.schema: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
    );
    expect(r.notes).toContain('pbs.qstat_path: read as pbs.bin_dir = /opt/pbs/bin');
    expect(r.notes).toContain(
      'pbs.qsub_path: a setting of the Python pbs_monitor; it has no effect in pbs-monitor',
    );
    expect(r.notes.some((n) => n.startsWith('pbs.pbsnodes_path'))).toBe(false);
    // 6 pbs + 7 display + 2 logging + 11 database + slack + the bin_dir reading
    expect(r.notes).toHaveLength(28);
  });

  test('our own keys win over the Python ones', async () => {
    const { home, cwd } = dirs();
    writeFileSync(
      join(home, '.pbs_monitor.yaml'),
      'collection: {job_interval: 60}\ndatabase: {job_collection_interval: 600}\npbs: {bin_dir: /x, qstat_path: /y/qstat}\n',
    );
    const r = await loadConfig({ env: {}, home, cwd });
    expect(r.config.collection.job_interval).toBe(60);
    expect(r.config.pbs.bin_dir).toBe('/x');
    expect(r.notes).toEqual([
      'database.job_collection_interval: ignored, collection.job_interval is set',
      'pbs.qstat_path: ignored, pbs.bin_dir is set',
    ]);
  });

  test('PBS_MONITOR_DB_URL overrides database.url', async () => {
    const { home, cwd } = dirs();
    writeFileSync(join(home, '.pbs_monitor.yaml'), 'database: {url: "sqlite:///a.db"}\n');
    const r = await loadConfig({ env: { PBS_MONITOR_DB_URL: 'postgresql://u@h/db' }, home, cwd });
    expect(r.config.database.url).toBe('postgresql://u@h/db');
  });

  test('a group-readable file holding a database password gets a warning note', async () => {
    const { home, cwd } = dirs();
    const file = join(home, '.pbs_monitor.yaml');
    writeFileSync(file, 'database: {url: "postgresql://pbs:s3cret@db/pbs"}\n');
    chmodSync(file, 0o644);
    const r = await loadConfig({ env: {}, home, cwd });
    expect(r.notes).toEqual([
      `warning: ${file} holds a database password and is readable by group/others; run: chmod 600 ${file}`,
    ]);
    chmodSync(file, 0o600);
    expect((await loadConfig({ env: {}, home, cwd })).notes).toEqual([]);
  });
});
