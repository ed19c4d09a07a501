import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binDir, runPbsCommand, setFault } from '../../src/emulator/api.js';
import { EMU_CLI } from '../helpers/paths.js';
import { pbs, tempCluster } from './_cluster.js';

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  killed: boolean;
}

function run(file: string, args: string[], timeout = 20_000): Promise<Run> {
  return new Promise((ok) => {
    execFile(
      file,
      args,
      { encoding: 'buffer', timeout, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number; killed?: boolean }) | null;
        ok({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout,
          stderr: stderr.toString(),
          killed: e?.killed ?? false,
        });
      },
    );
  });
}

const built = existsSync(EMU_CLI);
let dir = '';
let bin = '';
let cleanup = (): void => {};

beforeAll(() => {
  const c = tempCluster({ preset: 'tiny', seed: 2, historyHours: 6 });
  dir = c.dir;
  cleanup = c.cleanup;
  if (built) bin = binDir(dir);
  else
    console.log(
      `note: ${EMU_CLI} is missing (run npm run build): the executable fault tests are skipped.`,
    );
});
afterAll(() => cleanup());

const qstatJson = ['-f', '-F', 'json'];

describe.skipIf(!built)('emulator faults through the bin executables', () => {
  it('prints real output with no fault, and the same bytes as the in-process command', async () => {
    const r = await run(join(bin, 'qstat'), qstatJson);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(pbs(dir, 'qstat', ...qstatJson).out);
    expect(JSON.parse(r.stdout.toString()).Jobs).toBeDefined();
  });

  it('down: exit 255, the header alone on stdout, the reason on stderr; pbsnodes prints nothing', async () => {
    setFault(dir, 'down', 2);
    const q = await run(join(bin, 'qstat'), qstatJson);
    expect(q.code).toBe(255);
    expect(Object.keys(JSON.parse(q.stdout.toString()))).toEqual([
      'timestamp',
      'pbs_version',
      'pbs_server',
    ]);
    expect(q.stderr).toContain('cannot connect to server pbs-tiny (errno=15010)');
    const n = await run(join(bin, 'pbsnodes'), ['-a', '-F', 'json']);
    expect([n.code, n.stdout.length]).toEqual([255, 0]);
    const after = await run(join(bin, 'qstat'), qstatJson);
    expect(after.code).toBe(0);
  });

  it('--times N counts invocations down, and clear ends an open-ended fault', async () => {
    setFault(dir, 'empty', 3);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await run(join(bin, 'qstat'), qstatJson)).stdout.length);
    expect(codes.slice(0, 3)).toEqual([0, 0, 0]);
    expect(codes[3]).toBeGreaterThan(100);
    setFault(dir, 'empty', null);
    expect((await run(join(bin, 'qselect'), [])).stdout.length).toBe(0);
    expect((await run(join(bin, 'qselect'), [])).stdout.length).toBe(0);
    setFault(dir, 'clear', null);
    expect((await run(join(bin, 'qselect'), [])).stdout.length).toBeGreaterThan(0);
  });

  it("timeout hangs past the caller's timeout; slow delays but completes", async () => {
    setFault(dir, 'timeout', 1);
    const t = await run(join(bin, 'qstat'), qstatJson, 1500);
    expect(t.killed).toBe(true);
    setFault(dir, 'slow', 1);
    const t0 = Date.now();
    const s = await run(join(bin, 'qstat'), qstatJson);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout.toString()).Jobs).toBeDefined();
  }, 30_000);
});

describe('emulator faults in the printed bytes', () => {
  const invalid = (text: string | Buffer): boolean => {
    try {
      JSON.parse(text.toString());
      return false;
    } catch {
      return true;
    }
  };
  const once = (kind: string, ...args: string[]): { out: string; err: string; code: number } => {
    setFault(dir, kind, 1);
    return pbs(dir, 'qstat', ...(args.length ? args : qstatJson));
  };

  it('truncated, garbage and empty', () => {
    const full = pbs(dir, 'qstat', ...qstatJson).out;
    const tr = once('truncated');
    expect(full.startsWith(tr.out) && tr.out.length < full.length && invalid(tr.out)).toBe(true);
    expect(invalid(once('garbage').out)).toBe(true);
    expect(once('empty').out).toBe('');
  });

  it.each([
    ['bad-number', /"PBS_EMU_PADDED":007,\n/],
    ['bad-escape', /"PBS_O_DOMAIN_USER":"MYDOMAIN\\myuser",\n/],
    // eslint-disable-next-line no-control-regex -- the raw control bytes are the defect under test
    ['control-chars', /"ring\x07the\x01bell"/],
    ['unescaped-quote', /"pset":"group_id=""",\n/],
  ])('%s injects the defect into otherwise real output', (kind, re) => {
    const out = once(kind).out;
    expect(out).toMatch(re);
    expect(invalid(out)).toBe(true);
    expect(invalid(pbs(dir, 'qstat', ...qstatJson).out)).toBe(false);
  });

  it('latin1 writes a control byte before each byte ≥ 0x80 (invalid UTF-8)', () => {
    setFault(dir, 'latin1', 1);
    const r = runPbsCommand('qstat', dir, qstatJson, {});
    const buf = Buffer.isBuffer(r.stdout) ? r.stdout : Buffer.from(r.stdout);
    expect(buf.includes(Buffer.from([0x4a, 0x6f, 0x73, 0x03, 0xc3, 0x02, 0xa9]))).toBe(true);
    expect(new TextDecoder('utf-8', { fatal: false }).decode(buf)).toContain('\ufffd');
  });

  it('duplicate-key repeats max_queued in qstat -Qf; text-header puts a table before the JSON', () => {
    const q = once('duplicate-key', '-Q', '-f', '-F', 'json').out;
    expect(q.match(/"max_queued":/g)?.length).toBe(2);
    const j = once('duplicate-key').out;
    const firstJob = j.slice(j.indexOf('"Jobs":{'));
    const lines = firstJob.split('\n').slice(2, 4);
    expect(lines[0]).toBe(lines[1]);
    const t = once('text-header').out;
    expect(t.startsWith('Job id            Name')).toBe(true);
    expect(t.slice(t.indexOf('{'))).toBe(pbs(dir, 'qstat', ...qstatJson).out);
  });

  it('rejects an unknown kind and a bad --times', () => {
    expect(() => setFault(dir, 'melt', null)).toThrow(/unknown fault kind/);
    expect(() => setFault(dir, 'down', 0)).toThrow(/--times/);
  });
});
