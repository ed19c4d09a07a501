/**
 * A folder of stub PBS executables (qstat, pbsnodes, pbs_rstat, qselect) for runner, client and
 * CLI tests. Each stub prints the fixture chosen by its exact argv, with the given exit code and
 * stderr; an argv the test did not expect fails loudly (exit 99 and a message on stderr).
 * Every call is appended to `calls.log` as JSON (argv, LC_ALL, TZ, PBS_SERVER).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES } from './paths.js';

export const STUB_FIXTURES = resolve(FIXTURES, 'stub-pbs');

export interface StubResponse {
  /** exact arguments after the command name */
  args: string[];
  /** fixture file under test/fixtures/stub-pbs (or an absolute path) */
  file?: string;
  /** literal stdout (instead of a file) */
  stdout?: string;
  stderr?: string;
  exit?: number;
  /** sleep this long before answering (timeouts) */
  sleepMs?: number;
}

export type StubSpec = Partial<
  Record<'qstat' | 'pbsnodes' | 'pbs_rstat' | 'qselect', StubResponse[]>
>;

export interface StubCall {
  command: string;
  args: string[];
  LC_ALL?: string;
  TZ?: string;
  PBS_SERVER?: string;
}

export interface StubPbs {
  dir: string;
  calls(): StubCall[];
  cleanup(): void;
}

const SCRIPT = (command: string, specPath: string, logPath: string) => `#!${process.execPath}
const fs = require('fs');
const spec = JSON.parse(fs.readFileSync(${JSON.stringify(specPath)}, 'utf8'))[${JSON.stringify(command)}] || [];
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(logPath)}, JSON.stringify({ command: ${JSON.stringify(command)}, args, LC_ALL: process.env.LC_ALL, TZ: process.env.TZ, PBS_SERVER: process.env.PBS_SERVER }) + '\\n');
const r = spec.find((s) => JSON.stringify(s.args) === JSON.stringify(args));
if (!r) {
  process.stderr.write('stub ${command}: unexpected argv ' + JSON.stringify(args) + '\\n');
  process.exit(99);
}
const answer = () => {
  if (r.file) process.stdout.write(fs.readFileSync(r.file));
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.exit || 0;
};
if (r.sleepMs) setTimeout(answer, r.sleepMs); else answer();
`;

/** Creates the stub folder; call cleanup() when done. */
export function createStubPbs(spec: StubSpec): StubPbs {
  const dir = mkdtempSync(join(tmpdir(), 'pbs-stub-'));
  const resolved: StubSpec = {};
  for (const [cmd, list] of Object.entries(spec) as Array<[keyof StubSpec, StubResponse[]]>) {
    resolved[cmd] = list.map((r) => ({
      ...r,
      file: r.file ? (r.file.startsWith('/') ? r.file : join(STUB_FIXTURES, r.file)) : undefined,
    }));
    for (const r of resolved[cmd]!)
      if (r.file && !existsSync(r.file)) throw new Error(`stub fixture missing: ${r.file}`);
  }
  const specPath = join(dir, 'spec.json');
  const logPath = join(dir, 'calls.log');
  writeFileSync(specPath, JSON.stringify(resolved));
  writeFileSync(logPath, '');
  for (const cmd of ['qstat', 'pbsnodes', 'pbs_rstat', 'qselect']) {
    const p = join(dir, cmd);
    writeFileSync(p, SCRIPT(cmd, specPath, logPath));
    chmodSync(p, 0o755);
  }
  return {
    dir,
    calls: () =>
      readFileSync(logPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as StubCall),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A moment of the real OpenPBS captures as a full stub spec (every view's commands). */
export function captureSpec(moment: 't2-running' | 't5-completed', extra: StubSpec = {}): StubSpec {
  const f = (name: string) => `${moment}__${name}`;
  const base: StubSpec = {
    qstat: [
      { args: ['-f', '-F', 'json'], file: f('qstat_f_F_json.json') },
      { args: ['-f', '-F', 'json', '-x'], file: f('qstat_x_f_F_json.json') },
      { args: ['-Q', '-f', '-F', 'json'], file: f('qstat_Q_f_F_json.json') },
      { args: ['-B', '-f', '-F', 'json'], file: f('qstat_B_f_F_json.json') },
    ],
    pbsnodes: [
      { args: ['-a', '-F', 'json'], file: f('pbsnodes_a_F_json.json') },
      { args: ['-av', '-F', 'json'], file: f('pbsnodes_av_F_json.json') },
    ],
    pbs_rstat: [{ args: ['-f'], file: f('pbs_rstat_f.txt') }],
  };
  if (moment === 't2-running')
    base.qstat!.push({ args: ['-f', '-F', 'json', '-t'], file: f('qstat_t_f_F_json.json') });
  for (const [cmd, list] of Object.entries(extra) as Array<[keyof StubSpec, StubResponse[]]>)
    base[cmd] = [...list, ...(base[cmd] ?? [])];
  return base;
}
