/** `qstat -B -f -F json` → Server models. */
import type { Parsed, Server } from '../types.js';
import type { ParseOptions } from './options.js';
import { parseStateCount } from './placement.js';
import { readPbsJson } from './read-pbs-json.js';
import { parseDuration } from './units.js';
import { bool, header, isObject, num, text, type RawObject } from './values.js';

/** Parses `qstat -B -f -F json` output (`{"Server": {"<name>": {…}}}`). */
export function parseServer(input: string | Buffer, opts: ParseOptions = {}): Parsed<Server> {
  const command = opts.command ?? 'qstat -B -f -F json';
  const { value, repairs } = readPbsJson(input, command);
  const head = header(value);
  const servers = value.Server;
  const items: Server[] = [];
  if (isObject(servers)) {
    for (const [name, attrs] of Object.entries(servers)) {
      if (isObject(attrs)) items.push(toServer(name, attrs, head.pbsVersion));
      else repairs.push({ kind: 'not-a-server', offset: 0, detail: name });
    }
  }
  return { items, ...head, repairs };
}

function toServer(name: string, a: RawObject, headerVersion: string | null): Server {
  const sc = text(a.state_count);
  const hd =
    typeof a.job_history_duration === 'number'
      ? a.job_history_duration
      : text(a.job_history_duration);
  return {
    name,
    version: text(a.pbs_version) ?? headerVersion,
    state: text(a.server_state),
    stateCount: sc === null ? {} : parseStateCount(sc),
    totalJobs: num(a.total_jobs),
    defaultQueue: text(a.default_queue),
    jobHistoryEnable: bool(a.job_history_enable),
    jobHistoryDuration: hd === null ? null : parseDuration(hd),
    schedulerIteration: num(a.scheduler_iteration),
    raw: a,
  };
}
