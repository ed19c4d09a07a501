/** Library API of the PBS emulator: create a cluster, move its clock, read its truth, get its PBS executables. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addReservation, runUntil, scheduleArrival } from './engine.js';
import { buildConfig, nodeName } from './presets.js';
import { Rng } from './rng.js';
import { Sim } from './sim.js';
import {
  EmulatorError,
  files,
  loadCluster,
  saveCluster,
  truthRecord,
  type TruthJob,
} from './store.js';
import { readSwfFile } from './swf.js';
import type { EmuNode, Layout, NodeEvent, PresetName, SimState } from './types.js';
import type { TraceRecord } from './workload.js';
import { PBS_COMMANDS } from './commands/run.js';

/** Default emulated start: Mon 2 Jun 2025 00:00:00 UTC (fixed so that a seed always gives the same bytes). */
export const DEFAULT_START = 1748822400;

export interface CreateOptions {
  preset?: PresetName;
  nodes?: number;
  seed?: number;
  historyHours?: number;
  timezone?: string;
  trace?: string | null;
  /** days of trace after the warm-up to keep (default 30) */
  traceDays?: number;
  start?: number;
  layout?: Layout;
  /** simulated hours before `start` (default: the history duration + 6 h) */
  warmupHours?: number;
}

export interface ClusterStatus {
  now: number;
  preset: PresetName;
  nodes: number;
  nodesDown: number;
  jobs: Record<string, number>;
  reservations: number;
  truthJobs: number;
}

/** Creates (or replaces) an emulated cluster in dir and warms it up to `start`. */
export function createCluster(dir: string, opts: CreateOptions = {}): void {
  const preset = opts.preset ?? 'small';
  if (!['tiny', 'small', 'polaris', 'aurora'].includes(preset))
    throw new EmulatorError(`unknown preset "${preset}" (tiny, small, polaris, aurora)`, 2);
  const seed = opts.seed ?? 1;
  const historyHours = opts.historyHours ?? 120;
  const timezone = opts.timezone ?? 'America/Chicago';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new EmulatorError(`unknown time zone "${timezone}"`, 2);
  }
  if (
    opts.nodes !== undefined &&
    (!Number.isInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > 100_000)
  )
    throw new EmulatorError('--nodes must be an integer from 1 to 100000', 2);
  if (!(historyHours > 0)) throw new EmulatorError('--history-hours must be positive', 2);
  const warmup = Math.round((opts.warmupHours ?? historyHours + 6) * 3600);
  let trace: TraceRecord[] | null = null;
  let start = opts.start ?? DEFAULT_START;
  let nodes = opts.nodes;
  if (opts.trace) {
    if (!existsSync(opts.trace)) throw new EmulatorError(`trace file not found: ${opts.trace}`, 2);
    const swf = readSwfFile(opts.trace, warmup + (opts.traceDays ?? 30) * 86400);
    if (swf.jobs.length === 0) throw new EmulatorError(`no jobs in trace ${opts.trace}`, 2);
    nodes = nodes ?? swf.header.maxNodes ?? undefined;
    const first = (swf.jobs[0] as number[])[0] as number;
    if (opts.start === undefined) start = first + warmup;
    const shift = start - warmup - first;
    const count = nodes ?? 64;
    const procsPerNode =
      swf.header.maxProcs && swf.header.maxNodes ? swf.header.maxProcs / swf.header.maxNodes : 1;
    const scale = swf.header.maxNodes ? count / swf.header.maxNodes : 1;
    const statusKnown = swf.jobs.some((j) => j[4] !== 0);
    trace = swf.jobs.map(([submit, procs, run, req, status, user, queue]) => {
      const n = Math.max(1, Math.min(count, Math.ceil((procs / procsPerNode) * scale)));
      const wall = req > 0 ? req : Math.ceil((run * 1.5) / 600) * 600 || 600;
      const exit = status === 5 ? null : statusKnown && status === 0 ? 1 : 0;
      return [
        submit + shift,
        n,
        Math.max(1, run),
        wall,
        exit,
        user > 0 ? user : 0,
        queue > 0 ? queue - 1 : -1,
      ] as TraceRecord;
    });
  }
  const cfg = buildConfig(preset, {
    nodes,
    seed,
    start,
    historyHours,
    timezone,
    layout: opts.layout ?? 'pbspro',
    trace: opts.trace ? resolve(opts.trace) : null,
  });
  const t0 = start - warmup;
  const nodeList: EmuNode[] = Array.from({ length: cfg.nodeCount }, (_, i) => ({
    name: nodeName(cfg.nodePrefix, i),
    state: 'free',
    comment: null,
    jobs: [],
    resv: null,
    lastChange: t0,
    lastUsed: t0,
    bad: false,
  }));
  const st: SimState = {
    now: t0,
    rng: Rng.fromSeed(seed).state(),
    nextSeq: 1000,
    jobs: {},
    nodes: nodeList,
    resvs: {},
    events: [],
    eventOrder: 0,
    tracePos: 0,
    nodeHistory: [],
    resvHistory: [],
    schedAt: null,
  };
  const sim = new Sim(cfg, st, trace);
  scheduleArrival(sim, t0);
  sim.heap.push(t0 + 600, 'node-fail', 0);
  sim.heap.push(t0 + 3600, 'resv-new', 0);
  sim.heap.push(t0 + 7200, 'rerun', 0);
  // A standing (daily) reservation for maintenance of a few nodes.
  const firstDay = Math.ceil((t0 + 6 * 3600) / 86400) * 86400 + 14 * 3600;
  addReservation(sim, t0, {
    kind: 'S',
    start: firstDay,
    duration: 2 * 3600,
    count: Math.max(1, Math.round(cfg.nodeCount * 0.02)),
    period: 86400,
    occurrences: 30,
  });
  runUntil(sim, start);
  mkdirSync(dir, { recursive: true });
  writeFileSync(files(dir).truth, '');
  saveCluster(dir, cfg, st, sim.finished, trace);
}

/** Moves the emulated clock forward by `seconds` (whole seconds ≥ 0). */
export function advance(dir: string, seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new EmulatorError('duration must be a whole number of seconds ≥ 0', 2);
  const { cfg, st, trace } = loadCluster(dir, { trace: true });
  const sim = new Sim(cfg, st, trace);
  runUntil(sim, st.now + seconds);
  saveCluster(dir, null, st, sim.finished);
  return st.now;
}

/** The emulated time (UTC epoch seconds). */
export function now(dir: string): number {
  return loadCluster(dir).st.now;
}

/** A summary of the cluster. */
export function status(dir: string): ClusterStatus {
  const { cfg, st } = loadCluster(dir);
  const jobs: Record<string, number> = {};
  for (const j of Object.values(st.jobs)) jobs[j.state] = (jobs[j.state] ?? 0) + 1;
  const truthJobs = readFileSync(files(dir).truth, 'utf8').split('\n').filter(Boolean).length;
  return {
    now: st.now,
    preset: cfg.preset,
    nodes: cfg.nodeCount,
    nodesDown: st.nodes.filter((n) => n.bad).length,
    jobs,
    reservations: Object.keys(st.resvs).length,
    truthJobs,
  };
}

/** Every job the cluster ever had (final ones from truth.jsonl, live ones from the state), by job id order. */
export function readTruth(dir: string): TruthJob[] {
  const { st } = loadCluster(dir);
  const out = new Map<string, TruthJob>();
  for (const line of readFileSync(files(dir).truth, 'utf8').split('\n')) {
    if (!line) continue;
    const t = JSON.parse(line) as TruthJob;
    if (t.purged_at !== null && t.purged_at > st.now) t.purged_at = null;
    out.set(t.job_id, t);
  }
  for (const j of Object.values(st.jobs)) if (!out.has(j.id)) out.set(j.id, truthRecord(j, st.now));
  const seqOf = (id: string) => Number(id.slice(0, id.search(/[[.]/)));
  const idxOf = (t: TruthJob) => (t.is_array_parent ? -1 : (t.array_index ?? -2));
  return [...out.values()].sort((a, b) => seqOf(a.job_id) - seqOf(b.job_id) || idxOf(a) - idxOf(b));
}

/** Node state changes (down / offline / back to free) with their comments. */
export function readNodeTruth(dir: string): NodeEvent[] {
  return loadCluster(dir).st.nodeHistory;
}

/** Reservation state changes (RESV_CONFIRMED / RESV_RUNNING / RESV_FINISHED). */
export function readResvTruth(dir: string): { id: string; state: string; at: number }[] {
  return loadCluster(dir).st.resvHistory;
}

function packageRoot(): string {
  // This file is src/emulator/api.ts (tests) or dist/emulator/api.js (built): the package root is two levels up.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Writes `<dir>/bin/{qstat,pbsnodes,pbs_rstat,qselect}` (bound to this cluster) and returns that folder. */
export function binDir(dir: string): string {
  const abs = resolve(dir);
  loadCluster(abs);
  const runJs = join(packageRoot(), 'dist', 'emulator', 'commands', 'run.js');
  if (!existsSync(runJs))
    throw new EmulatorError(
      `the emulator is not built (${runJs} is missing): run npm run build`,
      1,
    );
  const bin = join(abs, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const name of PBS_COMMANDS) {
    const script = `#!/usr/bin/env node
// Emulated PBS ${name} for the cluster in ${abs} (written by pbs-emu bin).
import { runPbsCommand } from ${JSON.stringify(`file://${runJs}`)};
process.stdout.on('error', () => {});
const r = runPbsCommand(${JSON.stringify(name)}, ${JSON.stringify(abs)}, process.argv.slice(2), process.env);
if (r.delayMs > 0) await new Promise((ok) => setTimeout(ok, r.delayMs));
if (r.stderr) process.stderr.write(r.stderr);
process.stdout.write(r.stdout);
process.exitCode = r.code;
`;
    const p = join(bin, name);
    writeFileSync(p, script);
    chmodSync(p, 0o755);
  }
  return bin;
}

export { runPbsCommand } from './commands/run.js';
export { setFault, FAULT_KINDS } from './faults.js';
export type { TruthJob } from './store.js';
