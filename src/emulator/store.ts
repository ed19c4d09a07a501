/** The cluster directory: cluster.json (config), state.json (everything that moves), truth.jsonl (final jobs). */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ClusterConfig, EmuJob, SimState } from './types.js';
import type { TraceRecord } from './workload.js';

export class EmulatorError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'EmulatorError';
  }
}

export const files = (dir: string) => ({
  config: join(dir, 'cluster.json'),
  state: join(dir, 'state.json'),
  truth: join(dir, 'truth.jsonl'),
  trace: join(dir, 'trace.json'),
  faults: join(dir, 'faults.json'),
});

/** Writes a file so that readers see either the old or the new content, never half of it. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export interface Loaded {
  cfg: ClusterConfig;
  st: SimState;
  trace: TraceRecord[] | null;
}

/** Loads a cluster; throws EmulatorError when the directory holds none. */
export function loadCluster(dir: string, opts: { trace?: boolean } = {}): Loaded {
  const f = files(dir);
  if (!existsSync(f.config) || !existsSync(f.state))
    throw new EmulatorError(`no emulated cluster in ${dir} (run: pbs-emu init ${dir})`, 2);
  const cfg = JSON.parse(readFileSync(f.config, 'utf8')) as ClusterConfig;
  const st = JSON.parse(readFileSync(f.state, 'utf8')) as SimState;
  const trace =
    opts.trace && cfg.trace && existsSync(f.trace)
      ? (JSON.parse(readFileSync(f.trace, 'utf8')) as TraceRecord[])
      : null;
  return { cfg, st, trace };
}

/** Saves a cluster (truth lines first, then the state file atomically). */
export function saveCluster(
  dir: string,
  cfg: ClusterConfig | null,
  st: SimState,
  finished: string[],
  trace?: TraceRecord[] | null,
): void {
  const f = files(dir);
  mkdirSync(dir, { recursive: true });
  if (cfg) writeAtomic(f.config, `${JSON.stringify(cfg, null, 2)}\n`);
  if (trace) writeAtomic(f.trace, JSON.stringify(trace));
  if (finished.length > 0) appendFileSync(f.truth, `${finished.join('\n')}\n`);
  else if (!existsSync(f.truth)) writeFileSync(f.truth, '');
  writeAtomic(f.state, JSON.stringify(st));
}

export interface TruthTransition {
  state: string;
  substate: number;
  at: number;
  queue: string;
}

export interface TruthJob {
  job_id: string;
  name: string;
  owner: string;
  project: string;
  queue: string;
  submit_time: number;
  eligible_time: number | null;
  start_time: number | null;
  end_time: number | null;
  final_state: string;
  final_substate: number;
  exit_status: number | null;
  nodes: number;
  walltime: number;
  run_count: number;
  transitions: TruthTransition[];
  purged_at: number | null;
  is_array_parent: boolean;
  array_parent: string | null;
  array_index: number | null;
  deleted_by: string | null;
}

/** A job's truth line; `now` hides a purge that has not happened yet (null = keep the planned instant). */
export function truthRecord(j: EmuJob, now: number | null): TruthJob {
  const final = j.state === 'F';
  return {
    job_id: j.id,
    name: j.name,
    owner: j.user,
    project: j.project,
    queue: j.queue,
    submit_time: j.ctime,
    eligible_time: j.etime,
    start_time: j.stime,
    end_time: final ? (j.obittime ?? j.htime) : null,
    final_state: j.state,
    final_substate: j.substate,
    exit_status: j.exitStatus,
    nodes: j.nodes,
    walltime: j.walltime,
    run_count: j.runCount,
    transitions: j.transitions.map(([state, substate, at, queue]) => ({
      state,
      substate,
      at,
      queue,
    })),
    purged_at: j.purgeAt === null ? null : now === null || j.purgeAt <= now ? j.purgeAt : null,
    is_array_parent: j.idx === -1,
    array_parent: j.parent ?? null,
    array_index: j.idx !== null && j.idx >= 0 ? j.idx : null,
    deleted_by: j.deletedBy,
  };
}
