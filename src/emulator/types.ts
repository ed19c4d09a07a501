/** Data model of an emulated cluster, persisted as JSON in the cluster directory. */
import type { SimEvent } from './heap.js';

export type Layout = 'pbspro' | 'cjson';
export type PresetName = 'tiny' | 'small' | 'polaris' | 'aurora';

export interface QueueDef {
  name: string;
  type: 'Execution' | 'Route';
  priority?: number;
  /** node-count bounds (inclusive) for jobs in this queue */
  minNodes?: number;
  maxNodes?: number;
  maxWalltime?: number;
  minWalltime?: number;
  fromRouteOnly?: boolean;
  destinations?: string[];
  /** share of submissions that name this queue */
  weight: number;
  enabled?: boolean;
  started?: boolean;
}

export interface ClusterConfig {
  version: 1;
  preset: PresetName;
  seed: number;
  start: number;
  historyHours: number;
  timezone: string;
  layout: Layout;
  server: string;
  shortServer: string;
  pbsVersion: string;
  nodeCount: number;
  ncpus: number;
  ngpus: number;
  memKb: number;
  nodePrefix: string;
  /** jobs per hour at the daily peak */
  arrivalsPerHour: number;
  users: string[];
  projects: string[];
  queues: QueueDef[];
  defaultQueue: string;
  trace: string | null;
}

/** A transition as recorded in truth: [state, substate, at, queue] */
export type Transition = [string, number, number, string];

export interface EmuJob {
  /** the full job id, e.g. "123.server" / "124[].server" / "124[3].server" */
  id: string;
  seq: number;
  /** array index of a subjob, -1 for the parent of an array, null for a plain job */
  idx: number | null;
  name: string;
  user: string;
  project: string;
  queue: string;
  /** queue named at submission (a route queue or an execution queue) */
  subQueue: string;
  nodes: number;
  walltime: number;
  /** what the job would run for if left alone (s) */
  runtime: number;
  /** exit status it will end with if it completes */
  exit: number;
  state: string;
  substate: number;
  ctime: number;
  qtime: number;
  etime: number | null;
  stime: number | null;
  obittime: number | null;
  htime: number | null;
  mtime: number;
  runCount: number;
  hold: 'n' | 'u' | 's';
  execTime: number | null;
  depend: string | null;
  /** job key of the job this one depends on (afterok) */
  depOn: string | null;
  /** dependent jobs waiting on this one */
  dependents: string[];
  comment: string | null;
  execNodes: number[] | null;
  exitStatus: number | null;
  /** when the job ended running (E), for resources_used.walltime */
  endRun: number | null;
  /** who deleted it, when deleted */
  deletedBy: string | null;
  est: { start: number; nodes: number[] } | null;
  resv: string | null;
  /** eligible seconds accrued before the current eligible stretch */
  eligAccum: number;
  sessionId: number;
  submitArgs: string;
  /** array parent only: sorted subjob keys, and the indices range text */
  subjobs?: string[];
  range?: string;
  /** subjob only: the parent's key */
  parent?: string;
  /** first start of the array (parent) */
  began?: number | null;
  transitions: Transition[];
  purgeAt: number | null;
}

export interface EmuNode {
  name: string;
  /** comma list, e.g. "free", "job-exclusive", "offline", "down", "resv-exclusive" */
  state: string;
  comment: string | null;
  jobs: string[];
  resv: string | null;
  lastChange: number;
  lastUsed: number;
  /** true while unusable (down/offline) */
  bad: boolean;
}

export interface EmuResv {
  id: string;
  seq: number;
  name: string;
  owner: string;
  kind: 'R' | 'S' | 'M';
  queue: string;
  state: 'RESV_CONFIRMED' | 'RESV_RUNNING' | 'RESV_FINISHED';
  substate: number;
  start: number;
  duration: number;
  nodes: number;
  nodeIdx: number[];
  ctime: number;
  mtime: number;
  /** standing reservations: occurrences left and index */
  count: number;
  index: number;
  period: number;
  /** job keys submitted to the reservation's queue */
  jobs: string[];
}

export interface NodeEvent {
  node: string;
  state: string;
  comment: string | null;
  at: number;
}

export interface SimState {
  now: number;
  rng: [number, number, number, number];
  nextSeq: number;
  jobs: Record<string, EmuJob>;
  nodes: EmuNode[];
  resvs: Record<string, EmuResv>;
  events: SimEvent[];
  eventOrder: number;
  /** position in the trace (next line to submit) */
  tracePos: number;
  nodeHistory: NodeEvent[];
  resvHistory: { id: string; state: string; at: number }[];
  /** time of the pending scheduling cycle, if one is queued */
  schedAt: number | null;
}
