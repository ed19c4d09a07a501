/**
 * Hostile text end to end, through the built CLI: job names, owners, comments and queue names with
 * shell metacharacters, terminal escapes, bidi overrides, 64 KB lengths and invalid UTF-8 are shown
 * neutralised in tables, kept exactly in JSON, stored exactly and neutralised against CSV formulas.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../cli/cli-setup.js';
import { runCli, tempHome, type CliResult } from '../helpers/run-cli.js';
import { createStubPbs, STUB_FIXTURES, type StubPbs } from '../helpers/stub-pbs.js';

const SHELL = '$(rm -rf ~)`id`;|&>/tmp/x';
const ANSI = '\x1b[2J\x1b]0;pwned\x07\x1b[31mred';
const RLO = '\u202eexe.txt';
const FORMULA = '=HYPERLINK("http://evil","x")';
const LONG = `${'L'.repeat(65_536)}end`;
const BAD_UTF8_MARK = 'BAD-UTF8-MARK';
/** what the reader makes of the invalid UTF-8 bytes `caf\xe9 \xff!`: the string read as Latin-1 */
const BAD_UTF8_READ = 'café ÿ!';

/** hostile attributes per job id of the t5-completed capture (all finished jobs) */
const PATCH: Record<string, Record<string, string>> = {
  '0.pbshost': { Job_Name: SHELL, comment: LONG },
  '1.pbshost': { Job_Name: ANSI, Job_Owner: '+evil;\x1b[31m@pbshost' },
  '2.pbshost': { Job_Name: RLO, queue: 'q;$(reboot)' },
  '3.pbshost': { Job_Name: FORMULA, Job_Owner: '-1+1@pbshost' },
  '7.pbshost': { Job_Name: '@SUM(A1)' },
  '5.pbshost': { Job_Name: LONG },
  '6.pbshost': { Job_Name: BAD_UTF8_MARK, comment: '-2+3' },
};
/** the exact stored/JSON form of each hostile name and owner */
const WANT: Record<string, { name: string; owner?: string; queue?: string }> = {
  '0.pbshost': { name: SHELL },
  '1.pbshost': { name: ANSI, owner: '+evil;\x1b[31m' },
  '2.pbshost': { name: RLO, queue: 'q;$(reboot)' },
  '3.pbshost': { name: FORMULA, owner: '-1+1' },
  '7.pbshost': { name: '@SUM(A1)' },
  '5.pbshost': { name: LONG },
  '6.pbshost': { name: BAD_UTF8_READ },
};
/** the NAME column last: a 64 KB name in a middle column is covered by the regression test below */
const TABLE_COLUMNS = 'job_id,owner,queue,state,name';
// eslint-disable-next-line no-control-regex -- the point: find raw control characters
const RAW_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f\u202e]/u;

let dir: string;
let stub: StubPbs;
let home: string;
let env: Record<string, string>;
const cli = (...args: string[]): CliResult => runCli(args, { pbsBin: stub.dir, home, env });

beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'rel-hostile-'));
  const data = JSON.parse(
    readFileSync(join(STUB_FIXTURES, 't5-completed__qstat_x_f_F_json.json'), 'utf8'),
  ) as { Jobs: Record<string, Record<string, unknown>> };
  for (const [id, attrs] of Object.entries(PATCH)) Object.assign(data.Jobs[id]!, attrs);
  // written byte-exactly: JSON with escapes for controls, plus raw invalid UTF-8 bytes in one name
  const [before, after] = JSON.stringify(data, null, 4).split(`"${BAD_UTF8_MARK}"`);
  const file = join(dir, 'qstat_x.json');
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(before!),
      Buffer.from('"caf\xe9 \xff!"', 'latin1'),
      Buffer.from(after!),
    ]),
  );
  stub = createStubPbs({
    qstat: [
      { args: ['-f', '-F', 'json', '-x'], file },
      { args: ['-B', '-f', '-F', 'json'], file: 't5-completed__qstat_B_f_F_json.json' },
    ],
  });
  home = tempHome();
  env = { PBS_MONITOR_DB_URL: `sqlite:///${join(dir, 'h.db')}` };
  expect(cli('database', 'init').code).toBe(0);
}, 60_000);

afterAll(() => {
  stub?.cleanup();
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

/** rows of a JSON array output keyed by job id */
function byId(stdout: string): Record<string, { name: string; owner: string; queue: string }> {
  const rows = JSON.parse(stdout) as Array<{
    job_id: string;
    name: string;
    owner: string;
    queue: string;
  }>;
  return Object.fromEntries(rows.map((r) => [r.job_id, r]));
}

function expectExact(rows: ReturnType<typeof byId>): void {
  for (const [id, w] of Object.entries(WANT)) {
    expect(rows[id]?.name, id).toBe(w.name);
    if (w.owner) expect(rows[id]?.owner, id).toBe(w.owner);
    if (w.queue) expect(rows[id]?.queue, id).toBe(w.queue);
  }
}

describe('hostile job text, live views', () => {
  it('jobs table shows escapes instead of raw ESC, BEL and U+202E', () => {
    // name last: see the regression test below for a 64 KB name in a middle column
    const r = cli('jobs', '-x', '--columns', TABLE_COLUMNS);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_UNSAFE);
    expect(r.stdout).toContain('\\x1b[2J\\x1b]0;pwned\\x07');
    expect(r.stdout).toContain('\\u202eexe.txt');
    expect(r.stdout).toContain(SHELL);
    expect(r.stderr).not.toMatch(RAW_UNSAFE);
  });

  it('jobs --format json keeps every hostile text exactly', () => {
    const r = cli('jobs', '-x', '--format', 'json');
    expect(r.code).toBe(0);
    expectExact(byId(r.stdout));
  });

  it('jobs --format csv prefixes cells a spreadsheet would run as formulas', () => {
    const r = cli('jobs', '-x', '--format', 'csv', '--columns', 'job_id,name,owner');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines).toContain(`3.pbshost,"'=HYPERLINK(""http://evil"",""x"")",'-1+1`);
    expect(lines).toContain(`7.pbshost,'@SUM(A1),alice`);
    expect(lines).toContain(`1.pbshost,${ANSI},'+evil;\x1b[31m`);
    for (const line of lines) expect(line).not.toMatch(/(^|,)[=+\-@]/);
  });

  it('a hostile queue and owner are shown as text in the table', () => {
    const r = cli('jobs', '-x', '--columns', TABLE_COLUMNS);
    expect(r.stdout).toContain('q;$(reboot)');
    expect(r.stdout.split('\n').find((l) => l.startsWith('1.pbshost'))).toContain(
      '+evil;\\x1b[31m',
    );
  });
});

describe('hostile job text: a 64 KB name in a padded column', () => {
  // Regression test (found here, since fixed): src/cli/output/table.ts:117 (and src/cli/output/record.ts:9) trim each line with
  // `.replace(/\s+$/, '')`, which backtracks quadratically over a long run of padding spaces that is
  // not at the end of the line. A 64 KB job name in the NAME column (padded, then more columns) makes
  // `jobs` / `history` tables take minutes (16 KB: ~6 s CPU; 64 KB: ~100 s). Fix: `.trimEnd()`.
  it('renders the default jobs table with a 64 KB name within the CLI timeout', () => {
    const r = cli('jobs', '-x');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(LONG);
  });
});

describe('hostile job text, stored history', () => {
  beforeAll(() => {
    const r = cli('jobs', '-x', '--collect', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it('history --format json returns exactly what PBS printed', () => {
    const r = cli('history', '--days', '36500', '--limit', '0', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expectExact(byId(r.stdout));
  });

  it('history table is neutralised', () => {
    const r = cli('history', '--days', '36500', '--limit', '0', '--columns', TABLE_COLUMNS);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_UNSAFE);
    expect(r.stdout).toContain('\\x1b[2J');
    expect(r.stdout).toContain('\\u202eexe.txt');
  });

  it('export jobs --format csv neutralises formula cells and keeps the text', () => {
    const out = join(dir, 'jobs.csv');
    const r = cli('export', 'jobs', '--format', 'csv', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csv).toContain(",'@SUM(A1),");
    expect(csv).toContain(",'-1+1,");
    expect(csv).toContain("'+evil;\x1b[31m");
    expect(csv).toContain(LONG);
    expect(csv).toContain(BAD_UTF8_READ);
    for (const line of csv.split(/\r?\n/)) expect(line).not.toMatch(/(^|,)[=+@]/);
  });

  it('nothing ran: the shell text was data, never a command', () => {
    // the stub logs each call: only the two qstat argv forms were ever used, no shell was involved
    const argvs = new Set(stub.calls().map((c) => `${c.command} ${c.args.join(' ')}`));
    expect([...argvs].sort()).toEqual(['qstat -B -f -F json', 'qstat -f -F json -x']);
  });
});
