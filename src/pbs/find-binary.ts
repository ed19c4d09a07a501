/**
 * Finds a PBS executable: config `pbs.bin_dir`, then env `PBS_MONITOR_PBS_BIN`, then `PATH`,
 * then `/opt/pbs/bin` (the OpenPBS / PBS Pro default install prefix).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PbsNotFoundError } from './errors.js';

export interface FindBinaryOptions {
  binDir?: string | null;
  env: Record<string, string | undefined>;
}

/** The folders searched, in order, without duplicates. */
export function searchDirs(opts: FindBinaryOptions): string[] {
  const dirs: string[] = [];
  if (opts.binDir) dirs.push(opts.binDir);
  const envDir = opts.env.PBS_MONITOR_PBS_BIN;
  if (envDir) dirs.push(envDir);
  for (const d of (opts.env.PATH ?? '').split(delimiter)) if (d) dirs.push(d);
  dirs.push('/opt/pbs/bin');
  return [...new Set(dirs)];
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns the full path of `command`, or throws PbsNotFoundError naming where it looked. */
export function findPbsBinary(command: string, opts: FindBinaryOptions): string {
  const dirs = searchDirs(opts);
  for (const dir of dirs) {
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  // name the explicit places and summarise PATH, so the message stays one readable line
  const shown: string[] = [];
  if (opts.binDir) shown.push(`pbs.bin_dir=${opts.binDir}`);
  if (opts.env.PBS_MONITOR_PBS_BIN)
    shown.push(`PBS_MONITOR_PBS_BIN=${opts.env.PBS_MONITOR_PBS_BIN}`);
  shown.push('PATH', '/opt/pbs/bin');
  throw new PbsNotFoundError(command, shown);
}
