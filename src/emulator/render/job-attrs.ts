/** A job's attributes as `qstat -f` prints them (PBS Pro 2022 order, Aurora-like site resources). */
import { hms } from '../timefmt.js';
import type { ZoneClock } from '../timefmt.js';
import type { ClusterConfig, EmuJob, EmuNode } from '../types.js';
import type { PbsObject } from './json-writer.js';

export interface RenderCtx {
  cfg: ClusterConfig;
  zone: ZoneClock;
  nodes: EmuNode[];
  now: number;
  jobs: Record<string, EmuJob>;
}

/** Deterministic per-job pseudo-random integer (rendering must not consume the simulation's RNG). */
function hash(seq: number, salt: number): number {
  let h = (seq * 2654435761) ^ (salt * 40503);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

function execStrings(ctx: RenderCtx, nodes: number[]): [string, string] {
  const c = ctx.cfg.ncpus;
  const host: string[] = [];
  const vn: string[] = [];
  for (const i of nodes) {
    const name = ctx.nodes[i]?.name ?? `node${i}`;
    host.push(`${name}/0*${c}`);
    vn.push(`(${name}:ncpus=${c})`);
  }
  return [host.join('+'), vn.join('+')];
}

/** The state letter qstat shows for a job now (subjob X becomes F only once its parent finished). */
export function attrs(ctx: RenderCtx, j: EmuJob): PbsObject {
  const { cfg, zone } = ctx;
  const login = `${cfg.shortServer.replace(/-pbs.*$/, '')}-login-01`;
  const home = `/home/${j.user}`;
  const seqText =
    j.idx === null ? String(j.seq) : j.idx === -1 ? `${j.seq}.^array_index^` : `${j.seq}.${j.idx}`;
  const ran = j.stime !== null && j.idx !== -1;
  const o: PbsObject = {};
  o.Job_Name = j.name;
  o.Job_Owner = `${j.user}@${login}`;
  if (ran && j.execNodes) {
    const end = j.endRun ?? (j.state === 'R' ? ctx.now : (j.obittime ?? ctx.now));
    const wall = Math.max(0, end - (j.stime as number));
    const cpus = j.nodes * cfg.ncpus;
    const pct = 50 + (hash(j.seq, 1) % 50);
    o.resources_used = {
      cpupercent: Math.round((pct * cpus) / 100) * 100,
      cput: hms(Math.round((wall * cpus * pct) / 100)),
      mem: `${(j.nodes * (2_000_000 + (hash(j.seq, 2) % 60_000_000))).toFixed(0)}kb`,
      ncpus: cpus,
      vmem: `${(j.nodes * (8_000_000 + (hash(j.seq, 3) % 900_000_000))).toFixed(0)}kb`,
      walltime: hms(wall),
    };
  }
  o.job_state = j.state;
  o.queue = j.queue;
  o.server = cfg.server;
  o.Account_Name = j.project;
  if (j.idx === null || j.idx === -1) o.Checkpoint = 'u';
  o.ctime = zone.ctime(j.ctime);
  const beforeList = (j.dependents ?? []).map((k) => `beforeok:${k}@${cfg.server}`);
  if (j.depend) o.depend = j.depend;
  else if (beforeList.length > 0) o.depend = beforeList.join(',');
  o.Error_Path = `${login}:${home}/${j.name}.e${seqText}`;
  if (ran && j.execNodes) {
    const [h, v] = execStrings(ctx, j.execNodes);
    o.exec_host = h;
    o.exec_vnode = v;
  }
  if (j.execTime !== null) o.Execution_Time = zone.ctime(j.execTime);
  if (j.idx === null || j.idx === -1) o.Hold_Types = j.hold;
  o.Join_Path = 'n';
  o.Keep_Files = 'doe';
  o.Mail_Points = 'a';
  o.Mail_Users = `${j.user}@example.org`;
  o.mtime = zone.ctime(j.mtime);
  o.Output_Path = `${login}:${home}/${j.name}.o${seqText}`;
  o.Priority = 0;
  o.qtime = zone.ctime(j.qtime);
  o.Rerunable = 'True';
  o.Resource_List = resourceList(ctx, j);
  if (j.stime !== null) o.stime = zone.ctime(j.stime);
  if (j.obittime !== null && (j.state === 'F' || j.state === 'X'))
    o.obittime = zone.ctime(j.obittime);
  if (ran && (j.state === 'R' || j.state === 'E' || j.obittime !== null)) {
    o.session_id = j.sessionId;
    o.jobdir = home;
  }
  o.substate = j.substate;
  o.Variable_List = {
    PBS_O_HOME: home,
    PBS_O_LANG: 'en_US.UTF-8',
    PBS_O_LOGNAME: j.user,
    PBS_O_PATH: '/opt/pbs/bin:/usr/local/bin:/usr/bin:/bin',
    PBS_O_MAIL: `/var/spool/mail/${j.user}`,
    PBS_O_SHELL: '/bin/bash',
    PBS_O_HOST: login,
    PBS_O_WORKDIR: `${home}/work`,
    PBS_O_SYSTEM: 'Linux',
    PBS_O_QUEUE: j.subQueue,
  };
  if (j.comment !== null) o.comment = j.comment;
  if (j.etime !== null) o.etime = zone.ctime(j.etime);
  o.umask = 22;
  if (j.runCount > 0) o.run_count = j.runCount;
  o.eligible_time = hms(eligible(ctx, j));
  const done = j.state === 'F' || j.state === 'X';
  if (done && j.exitStatus !== null) o.Stageout_status = 1;
  if (j.exitStatus !== null && (done || j.idx === -1) && !(j.idx === -1 && j.state !== 'F'))
    o.Exit_status = j.exitStatus;
  o.Submit_arguments = j.submitArgs;
  if (j.idx === -1) arrayAttrs(ctx, j, o);
  if (j.idx !== null && j.idx >= 0) {
    o.array_id = j.parent ?? '';
    o.array_index = j.idx;
  }
  if (j.est && j.state === 'Q') {
    o.estimated = {
      exec_vnode: execStrings(ctx, j.est.nodes)[1],
      start_time: zone.ctime(j.est.start),
    };
  }
  if (j.htime !== null && (j.state === 'F' || j.state === 'X')) o.history_timestamp = j.htime;
  o.project = j.project;
  o.Submit_Host = login;
  return o;
}

function eligible(ctx: RenderCtx, j: EmuJob): number {
  if (j.etime === null) return 0;
  const until = j.stime ?? j.htime ?? ctx.now;
  return Math.max(0, Math.min(until, ctx.now) - j.etime);
}

function resourceList(ctx: RenderCtx, j: EmuJob): PbsObject {
  const c = ctx.cfg.ncpus;
  const r: PbsObject = {
    base_score: 0,
    enable_backfill: 0,
    filesystems: 'home:flare',
    ncpus: j.nodes * c,
    nodect: j.nodes,
    place: 'scatter',
    // Users who give only a node count get a bare number; PBS prints it unquoted.
    select: j.seq % 5 === 0 ? `${j.nodes}:ncpus=${c}` : j.nodes,
    walltime: hms(j.walltime),
  };
  return r;
}

function arrayAttrs(ctx: RenderCtx, p: EmuJob, o: PbsObject): void {
  let q = 0;
  let r = 0;
  let e = 0;
  let x = 0;
  const remaining: number[] = [];
  for (const k of p.subjobs ?? []) {
    const s = ctx.jobs[k];
    if (!s) continue;
    if (s.state === 'Q' || s.state === 'H') {
      q++;
      remaining.push(s.idx ?? 0);
    } else if (s.state === 'R') r++;
    else if (s.state === 'E') e++;
    else if (s.state === 'X') x++;
  }
  const trail = ctx.cfg.layout === 'pbspro' ? ' ' : '';
  o.array = 'True';
  o.array_state_count = `Queued:${q} Running:${r} Exiting:${e} Expired:${x}${trail}`;
  o.array_indices_submitted = p.range ?? '';
  o.array_indices_remaining = remaining.length === 0 ? '-' : ranges(remaining);
}

/** [1,2,3,5] → "1-3,5" */
function ranges(xs: number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < xs.length) {
    let k = i;
    while (k + 1 < xs.length && (xs[k + 1] as number) === (xs[k] as number) + 1) k++;
    out.push(k > i ? `${xs[i]}-${xs[k]}` : String(xs[i]));
    i = k + 1;
  }
  return out.join(',');
}
