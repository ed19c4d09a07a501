/**
 * Domain model of what PBS reports. Parsers in `pbs/parse/` produce these from raw text;
 * everything above the adapter (views, collectors, store) consumes them.
 * Instants are UTC epoch seconds (integers); durations are seconds; sizes are bytes.
 */

/** A JSON-ish value as PBS printed it: numbers PBS printed in non-JSON form are kept as text. */
export type RawValue = string | number | boolean | null | RawValue[] | { [key: string]: RawValue };
export type RawAttributes = Record<string, RawValue>;

/** One `N:res=val:…` chunk of a `select` statement. */
export interface SelectChunk {
  count: number;
  resources: Record<string, string>;
}

/** One vnode share of an `exec_vnode` group. */
export interface VnodeShare {
  vnode: string;
  /** the host part of the vnode name (`cpu1n001[0]` → `cpu1n001`) */
  host: string;
  resources: Record<string, string>;
}

export type JobState = 'Q' | 'H' | 'W' | 'T' | 'R' | 'E' | 'S' | 'U' | 'B' | 'X' | 'F' | 'M';

export interface Job {
  /** full id as PBS keys it: `123.server`, `123[].server`, `123[4].server` */
  jobId: string;
  /** the sequence part: `123`, `123[]`, `123[4]` */
  shortId: string;
  /** server part of the id (may differ from `pbs_server`) */
  server: string;
  name: string | null;
  /** user without `@host` */
  owner: string | null;
  project: string | null;
  queue: string | null;
  state: string;
  substate: number | null;
  isArrayParent: boolean;
  /** for a subjob: the parent id `123[].server` */
  arrayParentId: string | null;
  arrayIndex: number | null;
  /** `array_state_count` parsed: Queued/Running/Exiting/Expired → count */
  arrayStateCount: Record<string, number> | null;
  arrayIndicesSubmitted: string | null;
  ctime: number | null;
  qtime: number | null;
  etime: number | null;
  stime: number | null;
  obittime: number | null;
  mtime: number | null;
  historyTimestamp: number | null;
  estimatedStartTime: number | null;
  /** requested resources */
  select: SelectChunk[];
  selectText: string | null;
  nodeCount: number | null;
  ncpus: number | null;
  ngpus: number | null;
  memBytes: number | null;
  walltimeRequested: number | null;
  place: string | null;
  filesystems: string | null;
  /** every Resource_List entry, as text */
  resourceList: Record<string, string>;
  /** used resources */
  walltimeUsed: number | null;
  cputUsed: number | null;
  memUsedBytes: number | null;
  vmemUsedBytes: number | null;
  cpupercent: number | null;
  ncpusUsed: number | null;
  execHost: string | null;
  execVnode: string | null;
  /** distinct hosts in placement order */
  hosts: string[];
  vnodes: VnodeShare[];
  exitStatus: number | null;
  runCount: number | null;
  comment: string | null;
  depend: string | null;
  priority: number | null;
  /** `eligible_time` accrued, seconds */
  eligibleTime: number | null;
  submitArguments: string | null;
  /** every attribute PBS sent, so nothing is lost */
  raw: RawAttributes;
}

export interface Node {
  name: string;
  /** comma list split into a set, sorted (shared between nodes: never mutate) */
  states: readonly string[];
  resourcesAvailable: Record<string, RawValue>;
  resourcesAssigned: Record<string, RawValue>;
  /** convenience numbers (0 when the assigned key is missing; null when indirect/unknown) */
  ncpus: number | null;
  ncpusAssigned: number | null;
  ngpus: number | null;
  ngpusAssigned: number | null;
  memBytes: number | null;
  memAssignedBytes: number | null;
  /** distinct job ids on the node (repeated ids collapsed) */
  jobs: string[];
  queue: string | null;
  comment: string | null;
  lastStateChangeTime: number | null;
  lastUsedTime: number | null;
  mom: string | null;
  sharing: string | null;
  resv: string | null;
  raw: RawAttributes;
}

export interface Queue {
  name: string;
  type: string | null;
  enabled: boolean | null;
  started: boolean | null;
  priority: number | null;
  totalJobs: number | null;
  stateCount: Record<string, number>;
  /** `max_run`, `max_queued`, … limits, each as the list of values PBS printed (duplicates kept) */
  limits: Record<string, string[]>;
  resourcesMax: Record<string, string>;
  resourcesMin: Record<string, string>;
  resourcesDefault: Record<string, string>;
  resourcesAssigned: Record<string, string>;
  routeDestinations: string[];
  raw: RawAttributes;
}

export interface Server {
  name: string;
  version: string | null;
  state: string | null;
  stateCount: Record<string, number>;
  totalJobs: number | null;
  defaultQueue: string | null;
  jobHistoryEnable: boolean | null;
  /** seconds */
  jobHistoryDuration: number | null;
  schedulerIteration: number | null;
  raw: RawAttributes;
}

export interface Reservation {
  id: string;
  name: string | null;
  owner: string | null;
  state: string | null;
  substate: number | null;
  queue: string | null;
  start: number | null;
  end: number | null;
  duration: number | null;
  nodes: string[];
  nodesText: string | null;
  select: string | null;
  /** standing reservations */
  rrule: string | null;
  index: number | null;
  count: number | null;
  raw: Record<string, string>;
}

/** A repair the tolerant reader made, counted and reported to callers. */
export interface Repair {
  kind: string;
  offset: number;
  detail?: string;
}

/** What a parser returns: the models, the header fields and every repair. */
export interface Parsed<T> {
  items: T[];
  /** `timestamp` of the output, epoch seconds, when PBS printed one */
  timestamp: number | null;
  pbsVersion: string | null;
  pbsServer: string | null;
  repairs: Repair[];
}
