/**
 * Finds, reads and validates the YAML configuration. Order: `-c/--config`, env PBS_MONITOR_CONFIG
 * (either must exist), then the first of ~/.pbs_monitor.yaml, ~/.config/pbs_monitor/config.yaml,
 * /etc/pbs_monitor/config.yaml, ./pbs_monitor.yaml; none found → defaults.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../cli/errors.js';
import { configSchema, type Config, type LoadedConfig } from './schema.js';
import { translateLegacy } from './legacy-keys.js';
import { zodProblems } from './zod-message.js';
import { expandHome } from './expand-home.js';
import { urlHasPassword } from './mask-url.js';

export interface LoadConfigOptions {
  explicitPath?: string;
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
}

/** The places searched when no file is named, in order. */
export function configSearchPaths(home: string, cwd: string): string[] {
  return [
    join(home, '.pbs_monitor.yaml'),
    join(home, '.config/pbs_monitor/config.yaml'),
    '/etc/pbs_monitor/config.yaml',
    join(cwd, 'pbs_monitor.yaml'),
  ];
}

/** Which file to read: the named one (must exist), else the first found, else null. */
export function resolveConfigPath(opts: LoadConfigOptions): string | null {
  const named = opts.explicitPath ?? (opts.env.PBS_MONITOR_CONFIG || undefined);
  if (named) {
    const path = resolve(opts.cwd, expandHome(named, opts.home));
    const from = opts.explicitPath ? '--config' : 'PBS_MONITOR_CONFIG';
    if (!existsSync(path))
      throw new UsageError(`configuration file ${path} (from ${from}) does not exist`);
    return path;
  }
  return configSearchPaths(opts.home, opts.cwd).find((p) => existsSync(p)) ?? null;
}

/** Reads a YAML file into a plain object; YAML errors name the file and line. */
export function readYamlFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read configuration file ${path}: ${(err as Error).message}`);
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0] ? ` line ${e.linePos[0].line}` : '';
    throw new UsageError(`${path}${line}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(
      `${path}: expected a mapping of sections (pbs:, database:, …) at the top level`,
    );
  return value as Record<string, unknown>;
}

/** Validates an already-read object; `source` names it in errors. */
export function validateConfig(
  input: Record<string, unknown>,
  source: string,
  env: Record<string, string | undefined> = {},
): { config: Config; notes: string[] } {
  const { raw, notes, origin } = translateLegacy(input);
  if (env.PBS_MONITOR_DB_URL) {
    const db = raw.database;
    if (db === undefined || db === null) raw.database = { url: env.PBS_MONITOR_DB_URL };
    else if (typeof db === 'object' && !Array.isArray(db))
      (db as Record<string, unknown>).url = env.PBS_MONITOR_DB_URL;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = zodProblems(result.error, origin);
    throw new UsageError(`invalid configuration in ${source}: ${problems.join('; ')}`);
  }
  return { config: result.data, notes };
}

function expandPaths(config: Config, home: string): Config {
  const x = (p: string) => expandHome(p, home);
  return {
    ...config,
    pbs: { ...config.pbs, bin_dir: config.pbs.bin_dir === null ? null : x(config.pbs.bin_dir) },
    logging: {
      ...config.logging,
      file: config.logging.file === null ? null : x(config.logging.file),
    },
    collection: { ...config.collection, spool_dir: x(config.collection.spool_dir) },
    daemon: { ...config.daemon, pid_file: x(config.daemon.pid_file) },
  };
}

/** Loads the configuration in effect (file + env overrides), validated, with notes. */
export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const path = resolveConfigPath(opts);
  const input = path ? readYamlFile(path) : {};
  const { config, notes } = validateConfig(input, path ?? '(defaults)', opts.env);
  if (path) {
    const db = input.database as Record<string, unknown> | undefined;
    const fileUrl = typeof db?.url === 'string' ? db.url : '';
    try {
      const mode = statSync(path).mode;
      if (fileUrl && urlHasPassword(fileUrl) && (mode & 0o077) !== 0)
        notes.push(
          `warning: ${path} holds a database password and is readable by group/others; run: chmod 600 ${path}`,
        );
    } catch {
      // the file was read a moment ago; a vanished file has nothing left to warn about
    }
  }
  return { config: expandPaths(config, opts.home), path, notes };
}
