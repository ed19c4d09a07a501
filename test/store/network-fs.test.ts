/**
 * SQLite on a real network filesystem: set PBS_MONITOR_TEST_NETFS_DIR to a writable directory on
 * one (`.ci/run` mounts an sshfs for it when it can). pbs-monitor must find the filesystem in
 * the mount table, say why it leaves WAL, use a rollback journal, and still take two writers and
 * a reader without a lock error or a lost row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { detectFsType, isNetworkFs } from '../../src/store/fs-type.js';
import { ROUNDS, runConcurrentWriters } from '../helpers/concurrent-writers.js';
import { runCli } from '../helpers/run-cli.js';

const NETFS = process.env.PBS_MONITOR_TEST_NETFS_DIR;
if (!NETFS) {
  console.log(
    'note: PBS_MONITOR_TEST_NETFS_DIR is not set: the test on a real network filesystem is skipped',
  );
}

describe.runIf(NETFS)('SQLite on a network filesystem', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is found in the mount table, warned about once per command, and runs on a rollback journal', () => {
    dir = mkdtempSync(join(NETFS!, 'pbsmon-'));
    const fsType = detectFsType(dir);
    expect(fsType).not.toBeNull();
    expect(isNetworkFs(fsType!)).toBe(true);
    const path = join(dir, 'history.db');
    const env = { PBS_MONITOR_DB_URL: `sqlite:///${path}` };
    const init = runCli(['database', 'init'], { home: dir, env });
    expect(init).toMatchObject({ code: 0 });
    const warnings = init.stderr.split('\n').filter((l) => l.includes('rollback journal'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${path} is on a ${fsType} filesystem`);
    expect(runCli(['database', 'validate'], { home: dir, env })).toMatchObject({ code: 0 });
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('two writers and a reader: no lock errors, exact final counts, intact database', async () => {
    dir = mkdtempSync(join(NETFS!, 'pbsmon-'));
    const out = await runConcurrentWriters(`sqlite:///${join(dir, 'history.db')}`);
    for (const r of out.results) expect(r).toMatchObject({ ok: true });
    expect(out.jobs).toBe(10 + 2 * ROUNDS * 30);
    expect(out.transitions).toBe(2 * ROUNDS * 30);
    expect(out.integrity).toEqual([{ integrity_check: 'ok' }]);
    expect(out.journalMode).toBe('delete');
  });
});
