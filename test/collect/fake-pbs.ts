/** An in-memory PbsClient and builders of parsed PBS objects for collector tests. */
import type { CommandTiming, JobQuery, PbsClient } from '../../src/pbs/client-types.js';
import type { Job, Node, Parsed, Queue, Reservation, Server } from '../../src/pbs/types.js';
import { defaultConfig, type Config } from '../../src/config/schema.js';
import { FakeClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import type { CollectionContext } from '../../src/collect/run.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import type { StoredJob } from '../../src/collect/job-compare.js';

export const SERVER = 'pbs1';

export function parsed<T>(items: T[], repairs = 0): Parsed<T> {
  return {
    items,
    timestamp: null,
    pbsVersion: '23.06.06',
    pbsServer: SERVER,
    repairs: Array.from({ length: repairs }, (_, i) => ({ kind: 'test', offset: i })),
  };
}

export function makeJob(seq: number | string, over: Partial<Job> = {}): Job {
  const shortId = String(seq);
  const base: Job = {
    jobId: `${shortId}.${SERVER}`,
    shortId,
    server: SERVER,
    name: `job${shortId}`,
    owner: 'alice',
    project: 'proj',
    queue: 'workq',
    state: 'Q',
    substate: 10,
    isArrayParent: false,
    arrayParentId: null,
    arrayIndex: null,
    arrayStateCount: null,
    arrayIndicesSubmitted: null,
    ctime: 1_000,
    qtime: 1_000,
    etime: 1_000,
    stime: null,
    obittime: null,
    mtime: 1_000,
    historyTimestamp: null,
    estimatedStartTime: null,
    select: [],
    selectText: '1:ncpus=8',
    nodeCount: 1,
    ncpus: 8,
    ngpus: 0,
    memBytes: null,
    walltimeRequested: 3600,
    place: null,
    filesystems: null,
    resourceList: {},
    walltimeUsed: null,
    cputUsed: null,
    memUsedBytes: null,
    vmemUsedBytes: null,
    cpupercent: null,
    ncpusUsed: null,
    execHost: null,
    execVnode: null,
    hosts: [],
    vnodes: [],
    exitStatus: null,
    runCount: 0,
    comment: null,
    depend: null,
    priority: null,
    eligibleTime: null,
    submitArguments: null,
    raw: {},
  };
  const job = { ...base, ...over };
  // raw mirrors the fields that matter so the change hash sees them
  job.raw = {
    job_state: job.state,
    substate: job.substate,
    queue: job.queue,
    run_count: job.runCount,
    stime: job.stime,
    obittime: job.obittime,
    Exit_status: job.exitStatus,
    exec_host: job.hosts.join('+') || null,
    comment: job.comment,
    ...over.raw,
  };
  return job;
}

/** A running job started at `stime`. */
export const running = (seq: number, stime: number, over: Partial<Job> = {}) =>
  makeJob(seq, { state: 'R', substate: 42, stime, runCount: 1, hosts: ['n1'], ...over });

/** A finished job. */
export const finished = (
  seq: number,
  stime: number,
  end: number,
  exit = 0,
  over: Partial<Job> = {},
) =>
  makeJob(seq, {
    state: 'F',
    substate: 92,
    stime,
    obittime: end,
    historyTimestamp: end,
    exitStatus: exit,
    runCount: 1,
    hosts: ['n1'],
    ...over,
  });

export function makeNode(name: string, over: Partial<Node> = {}): Node {
  return {
    name,
    states: ['free'],
    resourcesAvailable: {},
    resourcesAssigned: {},
    ncpus: 64,
    ncpusAssigned: 0,
    ngpus: 4,
    ngpusAssigned: 0,
    memBytes: 1 << 30,
    memAssignedBytes: 0,
    jobs: [],
    queue: null,
    comment: null,
    lastStateChangeTime: null,
    lastUsedTime: null,
    mom: null,
    sharing: null,
    resv: null,
    raw: {},
    ...over,
  };
}

export function makeServer(over: Partial<Server> = {}): Server {
  return {
    name: SERVER,
    version: '23.06.06',
    state: 'Active',
    stateCount: { Queued: 1, Running: 1 },
    totalJobs: 2,
    defaultQueue: 'workq',
    jobHistoryEnable: true,
    jobHistoryDuration: 5 * 86400,
    schedulerIteration: 600,
    raw: {},
    ...over,
  };
}

export function makeQueue(name: string, over: Partial<Queue> = {}): Queue {
  return {
    name,
    type: 'Execution',
    enabled: true,
    started: true,
    priority: null,
    totalJobs: 3,
    stateCount: { Queued: 2, Running: 1, Held: 0 },
    limits: {},
    resourcesMax: {},
    resourcesMin: {},
    resourcesDefault: {},
    resourcesAssigned: { nodect: '1', ncpus: '8' },
    routeDestinations: [],
    raw: {},
    ...over,
  };
}

export function makeResv(id: string, state: string, over: Partial<Reservation> = {}): Reservation {
  return {
    id,
    name: 'maint',
    owner: 'root',
    state,
    substate: null,
    queue: id.split('.')[0] ?? id,
    start: 10_000,
    end: 20_000,
    duration: 10_000,
    nodes: ['n1', 'n2'],
    nodesText: '(n1:ncpus=64)+(n2:ncpus=64)',
    select: '2:ncpus=64',
    rrule: null,
    index: null,
    count: null,
    raw: {},
    ...over,
  };
}

/**
 * A fake PBS: live jobs, history (finished) jobs, nodes, … set by the test; `fail` makes a method
 * throw the given errors in turn; every call is counted.
 */
export class FakePbs implements PbsClient {
  live: Job[] = [];
  history: Job[] = [];
  nodeList: Node[] = [];
  queueList: Queue[] = [];
  resvList: Reservation[] = [];
  serverObj: Server = makeServer();
  repairs = 0;
  calls: string[] = [];
  fail: Partial<Record<string, unknown[]>> = {};
  /** ids qselect reports; null = all jobs (live and history) */
  modified: string[] | null = null;

  private check(method: string): void {
    this.calls.push(method);
    const f = this.fail[method];
    if (f && f.length > 0) throw f.shift();
  }
  async jobs(q: JobQuery = {}): Promise<Parsed<Job>> {
    this.check(q.ids ? 'jobs-ids' : q.finished ? 'jobs-x' : 'jobs');
    let items = q.finished ? [...this.live, ...this.history] : [...this.live];
    if (!q.subjobs) items = items.filter((j) => j.arrayParentId === null);
    if (q.ids) {
      const want = new Set(q.ids);
      items = items.filter(
        (j) => want.has(j.jobId) || (j.arrayParentId !== null && want.has(j.arrayParentId)),
      );
    }
    return parsed(items, this.repairs);
  }
  async nodes(): Promise<Parsed<Node>> {
    this.check('nodes');
    return parsed(this.nodeList);
  }
  async queues(): Promise<Parsed<Queue>> {
    this.check('queues');
    return parsed(this.queueList);
  }
  async server(): Promise<Parsed<Server>> {
    this.check('server');
    return parsed([this.serverObj]);
  }
  async reservations(): Promise<Parsed<Reservation>> {
    this.check('reservations');
    return parsed(this.resvList);
  }
  async selectModifiedSince(): Promise<string[]> {
    this.check('qselect');
    return this.modified ?? [...this.live, ...this.history].map((j) => j.jobId);
  }
  takeTimings(): CommandTiming[] {
    return [];
  }
}

export const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);

/** A collection context over a test database and a fake PBS. */
export function makeCtx(
  db: Kysely<Database>,
  pbs: PbsClient,
  opts: { clock?: FakeClock; config?: Config; spoolDir?: string } = {},
): CollectionContext & { clock: FakeClock } {
  const config = opts.config ?? defaultConfig();
  return {
    db,
    pbs,
    clock: opts.clock ?? new FakeClock(T0),
    logger: silentLogger(),
    config,
    spoolDir: opts.spoolDir ?? '/nonexistent-spool-for-tests',
  };
}

/** What the database would hold of `makeJob(seq)`: a final, completely observed job unless told. */
export function makeStoredJob(seq: number, over: Partial<StoredJob> = {}): StoredJob {
  const job = makeJob(seq);
  return {
    id: 1,
    jobId: job.jobId,
    state: 'F',
    substate: 92,
    queue: job.queue,
    runCount: 1,
    rawHash: 'stored',
    final: true,
    quality: 'complete',
    startTime: null,
    lastSeen: 0,
    endTimeEstimated: false,
    ...over,
  };
}
