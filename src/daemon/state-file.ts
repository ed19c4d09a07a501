/**
 * The daemon's state file beside its PID file (`<pid file>.state.json`): the schedule in effect,
 * the next run of each collector and the counters, rewritten after each run so `daemon status`
 * can show them. Written to a temp file and renamed, so readers never see half a file.
 */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { CollectorKind } from './collect-contract.js';
import type { ScheduleState } from './scheduler.js';
import type { OutageSpoolStatus } from '../collect/outage/outage-guard.js';
import { readExisting } from './exclusive-file.js';

export interface DaemonStateFile {
  pid: number;
  host: string;
  /** epoch seconds */
  startedAt: number;
  updatedAt: number;
  /** epoch seconds of the last SIGHUP reload, null if none */
  reloadedAt: number | null;
  reloads: number;
  /** SIGHUPs handled, successful or not; the last one's error (null when it worked) */
  reloadAttempts: number;
  reloadError: string | null;
  configPath: string | null;
  database: string;
  logFile: string | null;
  lock: string;
  jitter: number;
  intervals: Partial<Record<CollectorKind, number>>;
  /** epoch seconds */
  next: Partial<Record<CollectorKind, number>>;
  runs: Partial<Record<CollectorKind, number>>;
  skipped: Partial<Record<CollectorKind, number>>;
  jumps: number;
  inFlight: CollectorKind[] | null;
  /** captures waiting in the outage spool (absent in files of older versions) */
  outageSpool?: OutageSpoolStatus;
}

/** The state file that goes with a PID file. */
export const stateFilePath = (pidFile: string) => `${pidFile}.state.json`;

/** Schedule fields of the state file, from the scheduler's state. */
export function scheduleFields(
  s: ScheduleState,
): Pick<DaemonStateFile, 'intervals' | 'next' | 'runs' | 'skipped' | 'jumps' | 'inFlight'> {
  const out: Pick<
    DaemonStateFile,
    'intervals' | 'next' | 'runs' | 'skipped' | 'jumps' | 'inFlight'
  > = {
    intervals: {},
    next: {},
    runs: {},
    skipped: {},
    jumps: s.jumps,
    inFlight: s.inFlight,
  };
  for (const [k, v] of Object.entries(s.kinds) as [
    CollectorKind,
    NonNullable<ScheduleState['kinds'][CollectorKind]>,
  ][]) {
    out.intervals[k] = v.intervalS;
    out.next[k] = Math.round(v.nextAt / 1000);
    out.runs[k] = v.runs;
    out.skipped[k] = v.skipped;
  }
  return out;
}

/** Replaces the state file atomically. */
export function writeStateFile(path: string, state: DaemonStateFile): void {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o644, flag: 'wx' });
  renameSync(tmp, path);
}

/** Reads the state file; null when absent or unreadable. */
export function readStateFile(path: string): DaemonStateFile | null {
  const cur = readExisting(path, 1 << 20);
  if (cur.kind !== 'file') return null;
  try {
    return JSON.parse(cur.text) as DaemonStateFile;
  } catch {
    return null;
  }
}

/** Removes the state file if it belongs to `pid`. */
export function removeStateFile(path: string, pid: number): void {
  const s = readStateFile(path);
  if (s && s.pid !== pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
