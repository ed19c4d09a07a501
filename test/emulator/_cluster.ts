/** Test helpers for the emulator: temporary clusters and in-process PBS commands. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCluster, runPbsCommand, type CreateOptions } from '../../src/emulator/api.js';
import type { PbsCommandName } from '../../src/emulator/commands/run.js';

/** A new cluster in a fresh temporary directory; call the returned cleanup when done. */
export function tempCluster(opts: CreateOptions): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pbs-emu-test-'));
  createCluster(dir, opts);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs an emulated PBS command in-process and returns its stdout as text. */
export function pbs(
  dir: string,
  name: PbsCommandName,
  ...args: string[]
): { out: string; err: string; code: number } {
  const r = runPbsCommand(name, dir, args, {});
  return { out: r.stdout.toString(), err: r.stderr, code: r.code };
}

/** JSON type name as the format comparison uses it. */
export function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}
