/**
 * The spool of unparseable PBS output (`<spool_dir>/unparseable`), kept for diagnosis and bounded
 * in size (`spool_max_mb`) and age (`spool_max_age_days`): oldest files go first.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { PbsOutputError } from '../pbs/errors.js';

export interface SpoolLimits {
  maxBytes: number;
  maxAgeSeconds: number;
}

/** The unparseable-output folder for a spool dir (`~` expanded). */
export function unparseableDir(spoolDir: string): string {
  const dir =
    spoolDir === '~' || spoolDir.startsWith('~/') ? join(homedir(), spoolDir.slice(1)) : spoolDir;
  return join(dir, 'unparseable');
}

export function spoolLimits(config: Config): SpoolLimits {
  return {
    maxBytes: Math.round(config.collection.spool_max_mb * 1024 * 1024),
    maxAgeSeconds: Math.round(config.collection.spool_max_age_days * 86400),
  };
}

/** Writes the output of a failed parse; returns the file written (null when there was none). */
export async function spoolOutput(
  dir: string,
  err: PbsOutputError,
  kind: string,
  nowMs: number,
  limits: SpoolLimits,
): Promise<string | null> {
  if (err.output === undefined) return null;
  await mkdir(dir, { recursive: true });
  const cmd = err.command.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 40);
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}-${kind}-${cmd}-${Math.random().toString(36).slice(2, 8)}.out`);
  const header = `# ${err.command}\n# ${err.message}\n`;
  await writeFile(file, Buffer.concat([Buffer.from(header), Buffer.from(err.output)]));
  await pruneSpool(dir, nowMs, limits);
  return file;
}

/** Removes files older than the age limit, then the oldest until the folder fits the size limit. */
export async function pruneSpool(dir: string, nowMs: number, limits: SpoolLimits): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const files = await Promise.all(
    names.map(async (name) => {
      const s = await stat(join(dir, name));
      return { name, size: s.size, mtimeMs: s.mtimeMs };
    }),
  );
  // name order first (ISO stamp) so files written within one mtime tick still go oldest first
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  let removed = 0;
  let total = files.reduce((s, f) => s + f.size, 0);
  for (const f of files) {
    const tooOld = nowMs - f.mtimeMs > limits.maxAgeSeconds * 1000;
    if (!tooOld && total <= limits.maxBytes) continue;
    await rm(join(dir, f.name), { force: true });
    total -= f.size;
    removed++;
  }
  return removed;
}
