import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMU_CLI } from '../../helpers/paths.js';

const built = existsSync(EMU_CLI);
if (!built)
  console.log(
    `note: ${EMU_CLI} is missing (run npm run build): the pbs-emu CLI tests are skipped.`,
  );
const root = mkdtempSync(join(tmpdir(), 'pbs-emu-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function emu(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [EMU_CLI, ...args], { maxBuffer: 64 << 20 }, (e, out, err) => {
      ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

describe.skipIf(!built)('pbs-emu CLI', () => {
  const dir = join(root, 'c');

  it('init, now, advance, status, truth and bin', async () => {
    const init = await emu(
      'init',
      dir,
      '--preset',
      'tiny',
      '--seed',
      '9',
      '--history-hours',
      '6',
      '--start',
      '2024-03-01T12:00:00Z',
      '--timezone',
      'UTC',
    );
    expect(init).toEqual({ code: 0, out: '1709294400\n', err: '' });
    expect((await emu('now', dir)).out).toBe('1709294400\n');
    expect((await emu('advance', dir, '1h30m')).out).toBe(`${1709294400 + 5400}\n`);
    const st = JSON.parse((await emu('status', dir)).out) as {
      now: number;
      preset: string;
      nodes: number;
    };
    expect([st.now, st.preset, st.nodes]).toEqual([1709299800, 'tiny', 8]);
    const truth = (await emu('truth', dir)).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(truth.length).toBeGreaterThan(5);
    for (const k of [
      'job_id',
      'name',
      'owner',
      'project',
      'queue',
      'submit_time',
      'eligible_time',
      'start_time',
      'end_time',
      'final_state',
      'final_substate',
      'exit_status',
      'nodes',
      'run_count',
      'transitions',
      'purged_at',
      'is_array_parent',
      'array_parent',
    ]) {
      expect(truth[0]).toHaveProperty(k);
    }
    const bin = (await emu('bin', dir)).out.trim();
    expect(readFileSync(join(bin, 'qstat'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const q = await new Promise<string>((ok) =>
      execFile(join(bin, 'qstat'), ['-B', '-f', '-F', 'json'], (_e, out) => ok(out)),
    );
    expect(JSON.parse(q).Server).toHaveProperty('pbs-tiny');
    const run = await emu('run', dir, 'qstat', '-Q');
    expect(run.out.split('\n')[2]).toMatch(/^workq +0 +\d+ yes yes/);
  });

  it('reports bad input with a clear message and a usage exit code', async () => {
    expect(await emu('advance', dir, 'soon')).toMatchObject({
      code: 2,
      err: 'pbs-emu: bad duration "soon" (e.g. 15m, 6h, 7d)\n',
    });
    expect((await emu('init', join(root, 'x'), '--preset', 'huge')).code).toBe(2);
    expect((await emu('init', join(root, 'y'), '--timezone', 'Mars/Olympus')).err).toContain(
      'unknown time zone',
    );
    expect(await emu('now', join(root, 'nothing-here'))).toMatchObject({ code: 2 });
    expect((await emu('fault', dir, 'melt')).code).toBe(2);
    expect(
      (await emu('init', join(root, 'z'), '--trace', join(root, 'missing.swf'))).err,
    ).toContain('trace file not found');
  });
});
