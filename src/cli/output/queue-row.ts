/** The queue → row mapping (documented snake_case fields) and the queue columns. */
import type { Queue } from '../../pbs/types.js';
import type { ColumnSpec, Row } from './columns.js';
import { parseDurationText } from './parse-duration-text.js';

const count = (q: Queue, key: string): number => q.stateCount[key] ?? 0;

/** Maps a parsed queue to its row; counts come from PBS's state_count. */
export function queueToRow(q: Queue): Row {
  const status = q.enabled === false ? 'disabled' : q.started === false ? 'stopped' : 'active';
  return {
    name: q.name,
    type: q.type,
    status,
    enabled: q.enabled,
    started: q.started,
    priority: q.priority,
    total_jobs: q.totalJobs,
    queued: count(q, 'Queued'),
    running: count(q, 'Running'),
    held: count(q, 'Held'),
    waiting: count(q, 'Waiting'),
    exiting: count(q, 'Exiting'),
    transit: count(q, 'Transit'),
    begun: count(q, 'Begun'),
    max_walltime_s: parseDurationText(q.resourcesMax.walltime),
    default_walltime_s: parseDurationText(q.resourcesDefault.walltime),
    max_run: q.limits.max_run?.join(' ') ?? null,
    route_destinations: q.routeDestinations,
  };
}

export const QUEUE_COLUMNS: ColumnSpec[] = [
  { key: 'name', header: 'QUEUE', kind: 'text', flex: true },
  { key: 'type', header: 'TYPE', kind: 'text' },
  { key: 'status', header: 'STATUS', kind: 'state' },
  { key: 'priority', header: 'PRIO', kind: 'int' },
  { key: 'total_jobs', header: 'TOTAL', kind: 'int' },
  { key: 'queued', header: 'QUEUED', kind: 'int' },
  { key: 'running', header: 'RUNNING', kind: 'int' },
  { key: 'held', header: 'HELD', kind: 'int' },
  { key: 'waiting', header: 'WAITING', kind: 'int' },
  { key: 'exiting', header: 'EXITING', kind: 'int' },
  { key: 'begun', header: 'BEGUN', kind: 'int' },
  { key: 'max_walltime_s', header: 'MAX WALLTIME', kind: 'duration' },
  { key: 'default_walltime_s', header: 'DEF WALLTIME', kind: 'duration' },
  { key: 'max_run', header: 'MAX RUN', kind: 'text', flex: true },
  { key: 'route_destinations', header: 'ROUTES TO', kind: 'list', flex: true },
];

export const DEFAULT_QUEUE_COLUMNS = [
  'name',
  'type',
  'status',
  'priority',
  'total_jobs',
  'queued',
  'running',
  'held',
  'max_walltime_s',
];

export const QUEUE_COLUMN_ALIASES: Record<string, string> = {
  queue: 'name',
  state: 'status',
  total: 'total_jobs',
  max_walltime: 'max_walltime_s',
};
