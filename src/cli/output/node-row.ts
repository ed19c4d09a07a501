/** The node → row mapping (documented snake_case fields) and the node columns. */
import type { Node } from '../../pbs/types.js';
import type { ColumnSpec, Row } from './columns.js';
import { isoUtc } from './format-values.js';

/** Maps a parsed node to its row; `state` is PBS's comma list, `states` the same split. */
export function nodeToRow(node: Node): Row {
  return {
    name: node.name,
    state: node.states.join(','),
    states: node.states,
    ncpus: node.ncpus,
    ncpus_assigned: node.ncpusAssigned,
    ngpus: node.ngpus,
    ngpus_assigned: node.ngpusAssigned,
    mem_bytes: node.memBytes,
    mem_assigned_bytes: node.memAssignedBytes,
    jobs: node.jobs,
    job_count: node.jobs.length,
    queue: node.queue,
    mom: node.mom,
    sharing: node.sharing,
    resv: node.resv,
    comment: node.comment,
    last_state_change_time: isoUtc(node.lastStateChangeTime),
    last_used_time: isoUtc(node.lastUsedTime),
  };
}

export const NODE_COLUMNS: ColumnSpec[] = [
  { key: 'name', header: 'NODE', kind: 'text', flex: true },
  { key: 'state', header: 'STATE', kind: 'state', flex: true },
  { key: 'ncpus_assigned', header: 'CPUS USED', kind: 'int' },
  { key: 'ncpus', header: 'NCPUS', kind: 'int' },
  { key: 'ngpus_assigned', header: 'GPUS USED', kind: 'int' },
  { key: 'ngpus', header: 'NGPUS', kind: 'int' },
  { key: 'mem_assigned_bytes', header: 'MEM USED', kind: 'size' },
  { key: 'mem_bytes', header: 'MEM', kind: 'size' },
  { key: 'job_count', header: 'JOBS', kind: 'int' },
  { key: 'jobs', header: 'JOB IDS', kind: 'list', flex: true },
  { key: 'queue', header: 'QUEUE', kind: 'text', flex: true },
  { key: 'mom', header: 'MOM', kind: 'text', flex: true },
  { key: 'sharing', header: 'SHARING', kind: 'text', flex: true },
  { key: 'resv', header: 'RESV', kind: 'text', flex: true },
  { key: 'last_state_change_time', header: 'STATE SINCE', kind: 'time' },
  { key: 'last_used_time', header: 'LAST USED', kind: 'time' },
  { key: 'comment', header: 'COMMENT', kind: 'text', flex: true },
];

export const DEFAULT_NODE_COLUMNS = [
  'name',
  'state',
  'ncpus_assigned',
  'ncpus',
  'ngpus',
  'mem_bytes',
  'job_count',
];

/** `--detailed`: resources used/total, job ids and the comment. */
export const DETAILED_NODE_COLUMNS = [
  'name',
  'state',
  'ncpus_assigned',
  'ncpus',
  'ngpus_assigned',
  'ngpus',
  'mem_assigned_bytes',
  'mem_bytes',
  'jobs',
  'last_state_change_time',
  'comment',
];

/** Short names, and the Python pbs_monitor's node column names. */
export const NODE_COLUMN_ALIASES: Record<string, string> = {
  node: 'name',
  cpus: 'ncpus',
  gpus: 'ngpus',
  memory: 'mem_bytes',
  mem: 'mem_bytes',
  load: 'ncpus_assigned',
  job_ids: 'jobs',
};
