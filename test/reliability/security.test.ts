/**
 * Security measures, each checked for real: no shell anywhere (lint rule + source scan), private
 * config files, masked passwords, no password in logs or errors, no file created through a symlink,
 * dependencies pinned by the lockfile, and a closed stdout pipe handled without a crash.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../cli/cli-setup.js';
import { CLI, ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'rel-sec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** every .ts file under src/ */
function sources(d = join(ROOT, 'src')): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : [],
  );
}

describe('no shell, ever', () => {
  const lint = async (code: string) => {
    const eslint = new ESLint({ cwd: ROOT });
    const [r] = await eslint.lintText(code, {
      filePath: join(ROOT, 'src/__reliability_probe__.ts'),
    });
    return (r?.messages ?? [])
      .filter((m) => m.ruleId?.startsWith('no-restricted'))
      .map((m) => m.ruleId);
  };

  it('the ESLint rule fires on exec / execSync imports and on .execSync calls', async () => {
    expect(await lint(`import { exec } from 'node:child_process';\nexec('ls');\n`)).toEqual([
      'no-restricted-imports',
    ]);
    expect(await lint(`import { execSync } from 'child_process';\nexecSync('ls');\n`)).toEqual([
      'no-restricted-imports',
    ]);
    expect(await lint(`import * as cp from 'node:child_process';\ncp.exec('ls');\n`)).toEqual([
      'no-restricted-imports',
    ]);
    expect(await lint(`const o = { execSync: () => 1 };\no.execSync();\n`)).toEqual([
      'no-restricted-properties',
    ]);
    expect(
      await lint(`import { execFile } from 'node:child_process';\nexecFile('ls', ['-l']);\n`),
    ).toEqual([]);
  }, 30_000);

  // GAP (eslint.config.js): a `{ shell: true }` option passes the lint; the source scan below covers it.
  // Suggested: a no-restricted-syntax rule for `Property[key.name="shell"][value.value=true]`.
  it('documents the lint gap: spawn with shell: true is not flagged by ESLint', async () => {
    expect(
      await lint(`import { spawn } from 'node:child_process';\nspawn('ls', { shell: true });\n`),
    ).toEqual([]);
  }, 30_000);

  it('no src/ file imports exec/execSync or passes shell: true', () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (
        /import\s*\{[^}]*\bexec(Sync)?\b[^}]*\}\s*from\s*['"](node:)?child_process['"]/.test(text)
      )
        offenders.push(`${f}: imports exec`);
      if (/\.\s*exec(Sync)?\s*\(\s*['"`]/.test(text) && /child_process/.test(text))
        offenders.push(`${f}: calls exec`);
      if (/\bshell\s*:\s*(true|['"`])/.test(text)) offenders.push(`${f}: shell option`);
      if (/require\(\s*['"](node:)?child_process['"]\s*\)/.test(text))
        offenders.push(`${f}: require(child_process)`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('configuration secrets', () => {
  it('config create writes the file with mode 0600', () => {
    const path = join(dir, 'created.yaml');
    const r = runCli(['config', 'create', '--path', path], { home: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a config readable by others that holds a password draws a warning', () => {
    const path = join(dir, 'open.yaml');
    writeFileSync(path, 'database:\n  url: postgresql://u:s3cret@127.0.0.1:1/db\n');
    chmodSync(path, 0o644);
    const r = runCli(['-c', path, 'config', 'show'], { home: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `${path} holds a database password and is readable by group/others; run: chmod 600 ${path}`,
    );
    chmodSync(path, 0o600);
    expect(runCli(['-c', path, 'config', 'show'], { home: dir }).stderr).not.toMatch(/readable by/);
  });

  it('config show masks passwords', () => {
    const path = join(dir, 'masked.yaml');
    writeFileSync(path, 'database:\n  url: postgresql://u:s3cret@127.0.0.1:1/db\n', {
      mode: 0o600,
    });
    const r = runCli(['-c', path, 'config', 'show'], { home: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('postgresql://u:***@127.0.0.1:1/db');
    expect(r.stdout + r.stderr).not.toContain('s3cret');
  });

  it('an unreachable PostgreSQL URL with a password: exit 4, the password nowhere (verbose, log file)', () => {
    const log = join(dir, 'verbose.log');
    const r = runCli(['database', 'status', '--verbose', '--log-file', log], {
      home: dir,
      env: { PBS_MONITOR_DB_URL: 'postgresql://u:s3cret@127.0.0.1:1/db' },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('postgresql://u:***@127.0.0.1:1/db');
    expect(r.stdout + r.stderr).not.toContain('s3cret');
    if (existsSync(log)) expect(readFileSync(log, 'utf8')).not.toContain('s3cret');
  });
});

describe('no file created through a symlink', () => {
  it('database init refuses a SQLite path that is a symlink, and creates nothing at its target', () => {
    const link = join(dir, 'link.db');
    const target = join(dir, 'target.db');
    symlinkSync(target, link);
    const r = runCli(['database', 'init'], {
      home: dir,
      env: { PBS_MONITOR_DB_URL: `sqlite:///${link}` },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`refusing to open the database ${link}: it is a symbolic link`);
    expect(existsSync(target)).toBe(false);
  });

  it('daemon start refuses a PID file that is a symlink, and creates nothing at its target', () => {
    const db = join(dir, 'real.db');
    expect(
      runCli(['database', 'init'], { home: dir, env: { PBS_MONITOR_DB_URL: `sqlite:///${db}` } })
        .code,
    ).toBe(0);
    const link = join(dir, 'link.pid');
    const target = join(dir, 'target.pid');
    symlinkSync(target, link);
    const r = runCli(['daemon', 'start', '--pid-file', link], {
      home: dir,
      env: { PBS_MONITOR_DB_URL: `sqlite:///${db}` },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the PID file ${link} is a symbolic link: refusing to use it`);
    expect(existsSync(target)).toBe(false);
  });
});

describe('supply chain', () => {
  // `npm audit` cannot run here (the registry mirror answers 405); the lockfile pins every dependency.
  it('package-lock.json pins every direct dependency with a version and an integrity hash', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      lockfileVersion: number;
      packages: Record<
        string,
        { version?: string; integrity?: string; resolved?: string; link?: boolean }
      >;
    };
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    const names = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];
    const unpinned = names.filter((n) => {
      const e = lock.packages[`node_modules/${n}`];
      return !e?.version || !e.integrity;
    });
    expect(unpinned).toEqual([]);
    // and every installed package of the tree, not only the direct ones
    const loose = Object.entries(lock.packages).filter(
      ([k, e]) => k.startsWith('node_modules/') && !e.link && (!e.version || !e.integrity),
    );
    expect(loose.map(([k]) => k)).toEqual([]);
  });
});

describe('a reader that closes the pipe early (`pbs-monitor … | head -1`)', () => {
  // Regression test (found here, since fixed): src/main.ts does not handle EPIPE on stdout: `pbs-monitor config show | head -c1` (or any
  // command whose reader exits first) dies with "Unhandled 'error' event … write EPIPE" and a Node stack.
  it('exits quietly, without a Node stack, when stdout is closed', async () => {
    const child = spawn(process.execPath, [CLI, 'config', 'show'], {
      env: { PATH: '/usr/bin:/bin', HOME: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(code).toBe(0);
  }, 30_000);
});
