/** `qstat -f -F json` (also with -x, -t and job ids) → Job models. */
import type { Job, Parsed, RawValue, SelectChunk } from '../types.js';
import type { ParseOptions } from './options.js';
import { jobMemos, type JobMemos } from './job-memos.js';
import { parseExecHost, parseExecVnode, parseSelect, parseStateCount } from './placement.js';
import { readPbsJson } from './read-pbs-json.js';
import { parsePbsTime } from './times.js';
import { parseDuration } from './units.js';
import {
  bool,
  header,
  isObject,
  num,
  size,
  splitJobId,
  stripHost,
  text,
  textMap,
  type RawObject,
} from './values.js';

/** Parses `qstat -f -F json` output; a missing `Jobs` key means no jobs. */
export function parseJobs(input: string | Buffer, opts: ParseOptions = {}): Parsed<Job> {
  const command = opts.command ?? 'qstat -f -F json';
  const { value, repairs } = readPbsJson(input, command);
  const jobs = value.Jobs;
  const items: Job[] = [];
  if (isObject(jobs)) {
    const memos = jobMemos();
    for (const [id, attrs] of Object.entries(jobs)) {
      if (isObject(attrs)) items.push(toJob(id, attrs, opts.timezone, memos));
      else repairs.push({ kind: 'not-a-job', offset: 0, detail: id });
    }
  }
  return { items, ...header(value), repairs };
}

function time(v: RawValue | undefined, tz: string | null | undefined): number | null {
  if (typeof v === 'number') return parsePbsTime(v);
  const t = text(v);
  return t === null ? null : parsePbsTime(t, tz);
}

function duration(v: RawValue | undefined): number | null {
  const t = typeof v === 'number' ? v : text(v);
  return t === null ? null : parseDuration(t);
}

/** array subjob `123[4].srv` → parent `123[].srv` and index 4 */
function arrayParts(id: string): { parent: string; index: number } | null {
  if (id.indexOf('[') < 0) return null; // most jobs: skip the regex
  const m = /^(\d+)\[(\d+)\](.*)$/.exec(id);
  return m ? { parent: `${m[1]}[]${m[3]}`, index: Number(m[2]) } : null;
}

function toJob(jobId: string, a: RawObject, tz: string | null | undefined, memos: JobMemos): Job {
  const { shortId, server } = splitJobId(jobId);
  const rl = isObject(a.Resource_List) ? a.Resource_List : {};
  const used = isObject(a.resources_used) ? a.resources_used : {};
  const sub = arrayParts(jobId);
  const isArrayParent = !sub && (bool(a.array) === true || /^\d+\[\]/.test(jobId));
  const estimated = isObject(a.estimated) ? a.estimated.start_time : a['estimated.start_time'];
  const selectRaw = rl.select;
  const selectText = text(selectRaw);
  const execHost = text(a.exec_host);
  const execVnode = text(a.exec_vnode);
  const asc = text(a.array_state_count);
  return {
    jobId,
    shortId,
    server,
    name: text(a.Job_Name),
    owner: stripHost(text(a.Job_Owner)),
    project: text(a.project) ?? text(a.Account_Name),
    queue: text(a.queue),
    state: text(a.job_state) ?? '',
    substate: num(a.substate),
    isArrayParent,
    arrayParentId: text(a.array_id) ?? sub?.parent ?? null,
    arrayIndex: num(a.array_index) ?? sub?.index ?? null,
    arrayStateCount: asc === null ? null : parseStateCount(asc),
    arrayIndicesSubmitted: text(a.array_indices_submitted),
    ctime: time(a.ctime, tz),
    qtime: time(a.qtime, tz),
    etime: time(a.etime, tz),
    stime: time(a.stime, tz),
    obittime: time(a.obittime, tz),
    mtime: time(a.mtime, tz),
    historyTimestamp: time(a.history_timestamp, tz),
    estimatedStartTime: time(estimated, tz),
    select:
      typeof selectRaw === 'number'
        ? parseSelect(selectRaw)
        : selectText === null
          ? []
          : (memos.select.get(selectText) as SelectChunk[]),
    selectText,
    nodeCount: num(rl.nodect),
    ncpus: num(rl.ncpus),
    ngpus: num(rl.ngpus),
    memBytes: size(rl.mem),
    walltimeRequested: duration(rl.walltime),
    place: text(rl.place),
    filesystems: text(rl.filesystems),
    resourceList: textMap(rl),
    walltimeUsed: duration(used.walltime),
    cputUsed: duration(used.cput),
    memUsedBytes: size(used.mem),
    vmemUsedBytes: size(used.vmem),
    cpupercent: num(used.cpupercent),
    ncpusUsed: num(used.ncpus),
    execHost,
    execVnode,
    hosts: execHost === null ? [] : parseExecHost(execHost),
    // Shares are memoised by chunk text: frozen and shared by every job placed on that vnode.
    vnodes: execVnode === null ? [] : parseExecVnode(execVnode, memos.shares),
    exitStatus: num(a.Exit_status),
    runCount: num(a.run_count),
    comment: text(a.comment),
    depend: text(a.depend),
    priority: num(a.Priority),
    eligibleTime: duration(a.eligible_time),
    submitArguments: text(a.Submit_arguments),
    raw: a,
  };
}
