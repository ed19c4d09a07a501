/** Faults on demand: the next N PBS command invocations fail or print defective output. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { EmulatorError, files, writeAtomic } from './store.js';

export const FAULT_KINDS = [
  'down',
  'timeout',
  'slow',
  'truncated',
  'garbage',
  'empty',
  'bad-number',
  'bad-escape',
  'control-chars',
  'latin1',
  'unescaped-quote',
  'duplicate-key',
  'text-header',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultState {
  kind: FaultKind;
  /** invocations left; null = until cleared */
  remaining: number | null;
}

/** Sets (or with kind "clear", removes) the cluster's fault. */
export function setFault(dir: string, kind: string, times: number | null): void {
  const f = files(dir).faults;
  if (kind === 'clear') {
    rmSync(f, { force: true });
    return;
  }
  if (!(FAULT_KINDS as readonly string[]).includes(kind))
    throw new EmulatorError(
      `unknown fault kind "${kind}" (one of: ${FAULT_KINDS.join(', ')}, clear)`,
      2,
    );
  if (times !== null && (!Number.isInteger(times) || times < 1))
    throw new EmulatorError('--times must be a positive integer', 2);
  writeAtomic(f, `${JSON.stringify({ kind, remaining: times })}\n`);
}

/** The fault in force, if any (without consuming it). */
export function readFault(dir: string): FaultState | null {
  const f = files(dir).faults;
  if (!existsSync(f)) return null;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as FaultState;
  } catch {
    return null;
  }
}

/** Takes one invocation's worth of the fault (counting down `--times`). */
export function consumeFault(dir: string): FaultKind | null {
  const s = readFault(dir);
  if (!s) return null;
  if (s.remaining !== null) {
    if (s.remaining <= 1) rmSync(files(dir).faults, { force: true });
    else
      writeAtomic(files(dir).faults, `${JSON.stringify({ ...s, remaining: s.remaining - 1 })}\n`);
  }
  return s.kind;
}
