/** Node, queue and server attributes as pbsnodes -a / qstat -Qf / qstat -Bf print them. */
import { hms } from '../timefmt.js';
import type { EmuJob, EmuNode, EmuResv, QueueDef } from '../types.js';
import type { RenderCtx } from './job-attrs.js';
import type { PbsObject } from './json-writer.js';

/** The state text of a node, e.g. "free", "job-exclusive", "offline,resv-exclusive", "down". */
export function nodeState(n: EmuNode, resvs: Record<string, EmuResv>): string {
  const parts: string[] = [];
  if (n.bad) parts.push(n.state);
  if (n.jobs.length > 0) parts.push('job-exclusive');
  if (n.resv && resvs[n.resv]?.state === 'RESV_RUNNING') parts.push('resv-exclusive');
  return parts.length === 0 ? 'free' : parts.join(',');
}

/** pbsnodes attributes of one node. */
export function nodeAttrs(ctx: RenderCtx, n: EmuNode, resvs: Record<string, EmuResv>): PbsObject {
  const { cfg } = ctx;
  const o: PbsObject = {
    Mom: `${n.name}.hostmgmt.cm.${cfg.preset}.example.org`,
    Port: 15002,
    pbs_version: cfg.pbsVersion,
    ntype: 'PBS',
    state: nodeState(n, resvs),
    pcpus: cfg.ncpus,
  };
  if (n.jobs.length > 0) o.jobs = n.jobs.slice();
  if (n.resv) o.resv = n.resv;
  const avail: PbsObject = { arch: 'linux', host: n.name, mem: `${cfg.memKb}kb`, ncpus: cfg.ncpus };
  if (cfg.ngpus > 0) avail.ngpus = cfg.ngpus;
  avail.system = cfg.preset;
  avail.vnode = n.name;
  o.resources_available = avail;
  const assigned: PbsObject = {};
  if (n.jobs.length > 0) {
    // resources_assigned omits zeros: an idle node prints an empty object.
    assigned.ncpus = cfg.ncpus;
    if (cfg.ngpus > 0) assigned.ngpus = cfg.ngpus;
  }
  o.resources_assigned = assigned;
  if (n.comment) o.comment = n.comment;
  o.resv_enable = 'True';
  o.sharing = 'force_exclhost';
  o.license = 'l';
  o.last_state_change_time = n.lastChange;
  o.last_used_time = n.lastUsed;
  o.server_instance_id = `${cfg.server}:15001`;
  return o;
}

interface Counts {
  total: number;
  T: number;
  Q: number;
  H: number;
  W: number;
  R: number;
  E: number;
  B: number;
}

function emptyCounts(): Counts {
  return { total: 0, T: 0, Q: 0, H: 0, W: 0, R: 0, E: 0, B: 0 };
}

/** Per-queue and server-wide job counts (history jobs count in total_jobs only, subjobs not at all). */
export function countJobs(jobs: Record<string, EmuJob>): {
  byQueue: Map<string, Counts>;
  all: Counts;
  nodect: Map<string, number>;
} {
  const byQueue = new Map<string, Counts>();
  const all = emptyCounts();
  const nodect = new Map<string, number>();
  for (const j of Object.values(jobs)) {
    if (j.idx !== null && j.idx >= 0) {
      if (j.state === 'R') nodect.set(j.queue, (nodect.get(j.queue) ?? 0) + j.nodes);
      continue;
    }
    let c = byQueue.get(j.queue);
    if (!c) byQueue.set(j.queue, (c = emptyCounts()));
    for (const x of [c, all]) {
      x.total++;
      if (j.state in x && j.state !== 'total') x[j.state as keyof Omit<Counts, 'total'>]++;
    }
    if (j.state === 'R' || j.state === 'E')
      nodect.set(j.queue, (nodect.get(j.queue) ?? 0) + j.nodes);
  }
  return { byQueue, all, nodect };
}

/** "Transit:0 Queued:2 Held:0 Waiting:0 Running:1 Exiting:0 Begun:0 " */
export function stateCount(c: Counts | undefined, trailing: boolean): string {
  const x = c ?? emptyCounts();
  return `Transit:${x.T} Queued:${x.Q} Held:${x.H} Waiting:${x.W} Running:${x.R} Exiting:${x.E} Begun:${x.B}${trailing ? ' ' : ''}`;
}

/** qstat -Qf attributes of a configured queue or of a reservation's queue. */
export function queueAttrs(
  ctx: RenderCtx,
  q: QueueDef | EmuResv,
  counts: ReturnType<typeof countJobs>,
): PbsObject {
  const trailing = ctx.cfg.layout === 'pbspro';
  const name = 'queue' in q ? q.queue : q.name;
  const c = counts.byQueue.get(name);
  const o: PbsObject = {};
  if ('queue' in q) {
    o.queue_type = 'Execution';
    o.total_jobs = c?.total ?? 0;
    o.state_count = stateCount(c, trailing);
    o.acl_user_enable = 'True';
    o.acl_users = q.owner;
    o.resources_max = { walltime: hms(q.duration) };
    o.resources_available = { ncpus: q.nodes * ctx.cfg.ncpus, nodect: q.nodes };
    o.resources_assigned = {
      ncpus: (counts.nodect.get(name) ?? 0) * ctx.cfg.ncpus,
      nodect: counts.nodect.get(name) ?? 0,
    };
    o.enabled = 'True';
    o.started = q.state === 'RESV_RUNNING' ? 'True' : 'False';
    o.partition = 'pbs-default';
    return o;
  }
  o.queue_type = q.type;
  if (q.priority !== undefined) o.Priority = q.priority;
  o.total_jobs = c?.total ?? 0;
  o.state_count = stateCount(c, trailing);
  if (q.fromRouteOnly) o.from_route_only = 'True';
  const max: PbsObject = {};
  if (q.maxNodes !== undefined) max.nodect = q.maxNodes;
  if (q.maxWalltime !== undefined) max.walltime = hms(q.maxWalltime);
  if (Object.keys(max).length > 0) o.resources_max = max;
  const min: PbsObject = {};
  if (q.minNodes !== undefined) min.nodect = q.minNodes;
  if (q.minWalltime !== undefined) min.walltime = hms(q.minWalltime);
  if (Object.keys(min).length > 0) o.resources_min = min;
  if (q.type === 'Route') {
    o.route_destinations = (q.destinations ?? []).join(',');
  } else {
    o.resources_default = { base_score: 0, enable_fifo: 1 };
    o.default_chunk = { at_queue: q.name, broken: 'False' };
    const nd = counts.nodect.get(q.name) ?? 0;
    o.resources_assigned = { mem: '0gb', mpiprocs: 0, ncpus: nd * ctx.cfg.ncpus, nodect: nd };
  }
  o.enabled = q.enabled === false ? 'False' : 'True';
  o.started = q.started === false ? 'False' : 'True';
  return o;
}

/** qstat -Bf attributes of the server. */
export function serverAttrs(ctx: RenderCtx, counts: ReturnType<typeof countJobs>): PbsObject {
  const { cfg } = ctx;
  let nodect = 0;
  for (const v of counts.nodect.values()) nodect += v;
  return {
    server_state: 'Active',
    server_host: cfg.server,
    scheduling: 'True',
    total_jobs: counts.all.total,
    state_count: stateCount(counts.all, cfg.layout === 'pbspro'),
    default_queue: cfg.defaultQueue,
    log_events: 511,
    mailer: '/usr/sbin/sendmail',
    mail_from: 'adm',
    query_other_jobs: 'True',
    resources_default: { ncpus: 1, place: 'scatter' },
    default_chunk: { ncpus: cfg.ncpus },
    resources_assigned: { mem: '0gb', mpiprocs: 0, ncpus: nodect * cfg.ncpus, nodect },
    scheduler_iteration: 600,
    flatuid: 'True',
    resv_enable: 'True',
    node_fail_requeue: 310,
    max_array_size: 10000,
    default_qsub_arguments: '-k doe -r n -W umask=0022',
    pbs_version: cfg.pbsVersion,
    eligible_time_enable: 'True',
    job_history_enable: 'True',
    job_history_duration: hms(cfg.historyHours * 3600),
    backfill_depth: 10,
    max_job_sequence_id: 999999999999,
  };
}
