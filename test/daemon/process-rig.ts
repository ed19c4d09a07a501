/**
 * A rig for real-process daemon tests: an emulated cluster, its PBS bin folder, a migrated SQLite
 * history and a config with short intervals; helpers to run the built CLI and to wait on files
 * and the database. Needs `npm run build`.
 */
import { createMigratedSqlite } from '../helpers/open-test-db.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, EMU_CLI } from '../helpers/paths.js';
import { openDatabase, type DatabaseHandle } from '../../src/store/db.js';
import { defaultConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';
import { CHILD_OUTPUT_LIMIT } from '../helpers/run-cli.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Rig {
  dir: string;
  cluster: string;
  cfgPath: string;
  pidFile: string;
  logFile: string;
  dbPath: string;
  env: Record<string, string>;
  writeConfig(collection: Record<string, number>): void;
  cli(args: string[], extraEnv?: Record<string, string>): CliRun;
  /** a foreground daemon as a child process */
  spawnDaemon(extraEnv?: Record<string, string>): ChildProcess;
  emu(args: string[]): string;
  pid(): number | null;
  /** count rows with a query on a fresh connection */
  query<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T>;
  /** SIGKILL whatever daemon the rig started, then remove the folder */
  dispose(): Promise<void>;
}

export const canRun = existsSync(CLI) && existsSync(EMU_CLI);

/** Polls `check` every 100 ms until it returns a truthy value or `ms` pass. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  ms = 30_000,
): Promise<NonNullable<T>> {
  const t0 = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** Builds the rig (cluster `tiny`, seed 1). */
export async function makeRig(collection: Record<string, number>): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'pbsmon-dp-'));
  const cluster = join(dir, 'cluster');
  const run = (file: string, args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, [file, ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: CHILD_OUTPUT_LIMIT,
    });
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: dir,
    NO_COLOR: '1',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
  };
  const emu = (args: string[]) => {
    const r = run(EMU_CLI, args, env);
    if (r.status !== 0) throw new Error(`pbs-emu ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  emu(['init', cluster, '--preset', 'tiny', '--seed', '1']);
  const bin = emu(['bin', cluster]);
  const dbPath = join(dir, 'history.db');
  await createMigratedSqlite(dbPath, dir);
  const cfgPath = join(dir, 'cfg.yaml');
  const pidFile = join(dir, 'daemon.pid');
  const logFile = join(dir, 'daemon.log');
  const started = new Set<number>();
  const rig: Rig = {
    dir,
    cluster,
    cfgPath,
    pidFile,
    logFile,
    dbPath,
    env,
    writeConfig(c) {
      const lines = Object.entries(c).map(([k, v]) => `  ${k}: ${v}`);
      writeFileSync(
        cfgPath,
        [
          'pbs:',
          `  bin_dir: ${bin}`,
          'database:',
          `  url: sqlite:///${dbPath}`,
          'collection:',
          '  jitter: 0',
          `  spool_dir: ${join(dir, 'spool')}`,
          '  retry:',
          '    attempts: 1',
          ...lines,
          'daemon:',
          `  pid_file: ${pidFile}`,
          '',
        ].join('\n'),
      );
    },
    cli(args, extraEnv = {}) {
      const r = run(CLI, ['-c', cfgPath, ...args], { ...env, ...extraEnv });
      const pid = rig.pid();
      if (pid) started.add(pid);
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    spawnDaemon(extraEnv = {}) {
      const child = spawn(
        process.execPath,
        [CLI, '-c', cfgPath, 'daemon', 'start', '--log-file', logFile],
        {
          env: { ...env, ...extraEnv },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      if (child.pid) started.add(child.pid);
      return child;
    },
    emu,
    pid() {
      try {
        return Number(readFileSync(pidFile, 'utf8').trim()) || null;
      } catch {
        return null;
      }
    },
    async query(fn) {
      const h = await openDatabase({
        url: `sqlite:///${dbPath}`,
        config: defaultConfig(),
        logger: silentLogger(),
        home: dir,
      });
      try {
        return await fn(h);
      } finally {
        await h.close();
      }
    },
    async dispose() {
      const pid = rig.pid();
      if (pid) started.add(pid);
      for (const p of started) if (alive(p)) process.kill(p, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  rig.writeConfig(collection);
  return rig;
}

/** Log lines of the daemon (JSON), parsed. */
export function logLines(rig: Rig): Record<string, unknown>[] {
  if (!existsSync(rig.logFile)) return [];
  return readFileSync(rig.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
