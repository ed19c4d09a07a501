/** `qstat -Q -f -F json` → Queue models. */
import type { Parsed, Queue, RawValue } from '../types.js';
import type { ParseOptions } from './options.js';
import { parseStateCount } from './placement.js';
import { readPbsJson } from './read-pbs-json.js';
import { bool, header, isObject, num, text, textMap, type RawObject } from './values.js';

const LIMIT_KEY = /^(max_|min_run|max$)/;

/** Parses `qstat -Q -f -F json` output, keeping every value of repeated limit keys. */
export function parseQueues(input: string | Buffer, opts: ParseOptions = {}): Parsed<Queue> {
  const command = opts.command ?? 'qstat -Q -f -F json';
  const { value, repairs } = readPbsJson(input, command);
  const queues = value.Queue;
  const items: Queue[] = [];
  if (isObject(queues)) {
    for (const [name, attrs] of Object.entries(queues)) {
      if (isObject(attrs)) items.push(toQueue(name, attrs));
      else repairs.push({ kind: 'not-a-queue', offset: 0, detail: name });
    }
  }
  return { items, ...header(value), repairs };
}

function values(v: RawValue): string[] {
  return Array.isArray(v) ? v.flatMap(values) : [text(v) ?? ''];
}

/** `max_run`, `max_queued`, `max_run_res.ncpus` (nested or flattened), … → every value printed */
export function limitsOf(a: RawObject): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (key: string, v: RawValue): void => {
    (out[key] ??= []).push(...values(v));
  };
  for (const [key, v] of Object.entries(a)) {
    if (!LIMIT_KEY.test(key)) continue;
    const list = Array.isArray(v) ? v : [v];
    for (const item of list) {
      if (isObject(item)) for (const [res, x] of Object.entries(item)) add(`${key}.${res}`, x);
      else add(key, item);
    }
  }
  return out;
}

function toQueue(name: string, a: RawObject): Queue {
  const routes = text(a.route_destinations);
  const sc = text(a.state_count);
  return {
    name,
    type: text(a.queue_type),
    enabled: bool(a.enabled),
    started: bool(a.started),
    priority: num(a.Priority),
    totalJobs: num(a.total_jobs),
    stateCount: sc === null ? {} : parseStateCount(sc),
    limits: limitsOf(a),
    resourcesMax: textMap(a.resources_max),
    resourcesMin: textMap(a.resources_min),
    resourcesDefault: textMap(a.resources_default),
    resourcesAssigned: textMap(a.resources_assigned),
    routeDestinations:
      routes === null
        ? []
        : routes
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    raw: a,
  };
}
