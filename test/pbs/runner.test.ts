import { afterEach, describe, expect, test } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPbsRunner } from '../../src/pbs/runner.js';
import { findPbsBinary, searchDirs } from '../../src/pbs/find-binary.js';
import { PbsCommandError, PbsNotFoundError, PbsTimeoutError } from '../../src/pbs/errors.js';
import { ExitCode, InterruptedError } from '../../src/cli/errors.js';
import { createStubPbs, type StubPbs } from '../helpers/stub-pbs.js';

const HEADER =
  '{\n\t"timestamp":\t1795820026,\n\t"pbs_version":\t"23.06.06",\n\t"pbs_server":\t"pbshost"\n}\n';
let stub: StubPbs | undefined;
afterEach(() => {
  stub?.cleanup();
  stub = undefined;
});

describe('findPbsBinary', () => {
  test('searches bin_dir, PBS_MONITOR_PBS_BIN, PATH, then /opt/pbs/bin', () => {
    expect(
      searchDirs({ binDir: '/cfg', env: { PBS_MONITOR_PBS_BIN: '/envdir', PATH: '/a:/b:/a' } }),
    ).toEqual(['/cfg', '/envdir', '/a', '/b', '/opt/pbs/bin']);
  });

  test('finds the first executable, skipping non-executable files', () => {
    const a = mkdtempSync(join(tmpdir(), 'fb-a-'));
    const b = mkdtempSync(join(tmpdir(), 'fb-b-'));
    writeFileSync(join(a, 'qstat'), 'not executable');
    chmodSync(join(a, 'qstat'), 0o644);
    writeFileSync(join(b, 'qstat'), '#!/bin/sh\n');
    chmodSync(join(b, 'qstat'), 0o755);
    expect(findPbsBinary('qstat', { binDir: a, env: { PATH: b } })).toBe(join(b, 'qstat'));
  });

  test('not found names where it looked and exits 3', () => {
    const empty = mkdtempSync(join(tmpdir(), 'fb-e-'));
    let err: unknown;
    try {
      findPbsBinary('qstat', { binDir: empty, env: { PATH: empty } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PbsNotFoundError);
    expect((err as PbsNotFoundError).message).toBe(
      `qstat: not found (looked in pbs.bin_dir=${empty}, PATH, /opt/pbs/bin); set pbs.bin_dir in the config or PBS_MONITOR_PBS_BIN`,
    );
    expect((err as PbsNotFoundError).exitCode).toBe(ExitCode.pbsUnavailable);
  });
});

describe('runner', () => {
  test('runs with LC_ALL=C, TZ and PBS_SERVER, returns stdout as a Buffer and records timings', async () => {
    stub = createStubPbs({ qstat: [{ args: ['-B', '-f', '-F', 'json'], stdout: HEADER }] });
    const runner = createPbsRunner({
      binDir: stub.dir,
      env: { PATH: '/usr/bin:/bin', LC_ALL: 'de_DE.UTF-8' },
      timezone: 'America/Chicago',
      server: 'pbshost',
    });
    const r = await runner.run('qstat', ['-B', '-f', '-F', 'json']);
    expect(Buffer.isBuffer(r.stdout)).toBe(true);
    expect(r.stdout.toString()).toBe(HEADER);
    expect(stub.calls()).toEqual([
      {
        command: 'qstat',
        args: ['-B', '-f', '-F', 'json'],
        LC_ALL: 'C',
        TZ: 'America/Chicago',
        PBS_SERVER: 'pbshost',
      },
    ]);
    const t = runner.takeTimings();
    expect(t).toHaveLength(1);
    expect(t[0]!.command).toBe('qstat -B -f -F json');
    expect(t[0]!.bytes).toBe(Buffer.byteLength(HEADER));
    expect(t[0]!.ms).toBeGreaterThan(0);
    expect(runner.takeTimings()).toEqual([]);
  });

  test('arguments reach PBS verbatim: no shell', async () => {
    const weird = '$(touch /tmp/pwned); `id` "quoted" \'single\' *';
    stub = createStubPbs({ qstat: [{ args: ['-f', weird], stdout: 'ok' }] });
    const runner = createPbsRunner({ binDir: stub.dir, env: {} });
    const r = await runner.run('qstat', ['-f', weird]);
    expect(r.stdout.toString()).toBe('ok');
    expect(stub.calls()[0]!.args).toEqual(['-f', weird]);
  });

  test('a down server (exit 255, header-only JSON, Connection refused) is "cannot reach PBS server", exit 3', async () => {
    stub = createStubPbs({
      qstat: [
        {
          args: ['-f', '-F', 'json'],
          stdout: HEADER,
          stderr: 'Connection refused\nqstat: cannot connect to server pbshost (errno=15010)\n',
          exit: 255,
        },
      ],
    });
    const runner = createPbsRunner({ binDir: stub.dir, env: {} });
    const err = await runner.run('qstat', ['-f', '-F', 'json']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PbsCommandError);
    const e = err as PbsCommandError;
    expect(e.serverDown).toBe(true);
    expect(e.status).toBe(255);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(
      'cannot reach PBS server pbshost: Connection refused; qstat: cannot connect to server pbshost (errno=15010) (qstat -f -F json exited 255)',
    );
  });

  test('an unknown job id (exit 153) says so plainly', async () => {
    stub = createStubPbs({
      qstat: [
        {
          args: ['-f', '-F', 'json', '99999.pbshost'],
          file: 't2-running__qstat_f_nonexistent_F_json.json',
          stderr: 'qstat: Unknown Job Id 99999.pbshost\n',
          exit: 153,
        },
      ],
    });
    const runner = createPbsRunner({ binDir: stub.dir, env: {} });
    const e = (await runner
      .run('qstat', ['-f', '-F', 'json', '99999.pbshost'])
      .catch((x: unknown) => x)) as PbsCommandError;
    expect(e).toBeInstanceOf(PbsCommandError);
    expect(e.status).toBe(153);
    expect(e.serverDown).toBe(false);
    expect(e.message).toBe(
      'job 99999.pbshost not found: PBS does not know it (qstat: Unknown Job Id 99999.pbshost)',
    );
  });

  test('any other non-zero exit carries its stderr', async () => {
    stub = createStubPbs({
      pbs_rstat: [{ args: ['-f'], stderr: 'pbs_rstat: bad thing\n', exit: 2 }],
    });
    const runner = createPbsRunner({ binDir: stub.dir, env: {} });
    const e = (await runner.run('pbs_rstat', ['-f']).catch((x: unknown) => x)) as PbsCommandError;
    expect(e.message).toBe('pbs_rstat -f exited with status 2: pbs_rstat: bad thing');
    expect(e.stderr).toBe('pbs_rstat: bad thing');
  });

  test('an idle server (header only, exit 0) is not an error', async () => {
    stub = createStubPbs({ qstat: [{ args: ['-f', '-F', 'json'], stdout: HEADER }] });
    const runner = createPbsRunner({ binDir: stub.dir, env: {} });
    const r = await runner.run('qstat', ['-f', '-F', 'json']);
    expect(r.stdout.toString()).toBe(HEADER);
  });

  test('a command past the timeout is killed in time and reported', async () => {
    stub = createStubPbs({ qstat: [{ args: ['-f'], stdout: 'late', sleepMs: 20_000 }] });
    const runner = createPbsRunner({ binDir: stub.dir, env: {}, timeoutSeconds: 0.5 });
    const started = Date.now();
    const e = await runner.run('qstat', ['-f']).catch((x: unknown) => x);
    const took = Date.now() - started;
    expect(e).toBeInstanceOf(PbsTimeoutError);
    expect((e as PbsTimeoutError).message).toBe(
      'qstat -f: timed out after 0.5 s and was killed (pbs.command_timeout)',
    );
    expect((e as PbsTimeoutError).exitCode).toBe(3);
    expect(took).toBeLessThan(10_000);
  });

  test('a wrapper script whose child keeps the pipe open is killed with its whole group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wrap-'));
    writeFileSync(join(dir, 'qstat'), '#!/bin/sh\nsleep 30\necho late\n');
    chmodSync(join(dir, 'qstat'), 0o755);
    const runner = createPbsRunner({
      binDir: dir,
      env: { PATH: '/usr/bin:/bin' },
      timeoutSeconds: 0.5,
    });
    const started = Date.now();
    const e = await runner.run('qstat', []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PbsTimeoutError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('aborting the deps signal kills the child: InterruptedError', async () => {
    stub = createStubPbs({ qstat: [{ args: ['-f'], stdout: 'late', sleepMs: 20_000 }] });
    const ac = new AbortController();
    const runner = createPbsRunner({ binDir: stub.dir, env: {}, signal: ac.signal });
    const p = runner.run('qstat', ['-f']).catch((x: unknown) => x);
    setTimeout(() => ac.abort(), 300);
    const e = await p;
    expect(e).toBeInstanceOf(InterruptedError);
  });

  test('output beyond maxBuffer stops the command with a clear error', async () => {
    stub = createStubPbs({ qstat: [{ args: ['-f'], stdout: 'x'.repeat(5000) }] });
    const runner = createPbsRunner({ binDir: stub.dir, env: {}, maxBuffer: 1024 });
    const e = (await runner.run('qstat', ['-f']).catch((x: unknown) => x)) as PbsCommandError;
    expect(e).toBeInstanceOf(PbsCommandError);
    expect(e.message).toMatch(/^qstat -f: output larger than 0\.0009765625 MiB; stopped reading/);
  });

  test('a missing binary rejects with PbsNotFoundError', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nobin-'));
    const runner = createPbsRunner({ binDir: empty, env: { PATH: empty } });
    await expect(runner.run('pbsnodes', ['-a'])).rejects.toBeInstanceOf(PbsNotFoundError);
  });
});
