/** The reservation → row mapping (documented snake_case fields) and the reservation columns. */
import type { Reservation } from '../../pbs/types.js';
import type { ColumnSpec, Row } from './columns.js';
import { isoUtc } from './format-values.js';

/** Maps a parsed reservation to its row; `state` drops PBS's `RESV_` prefix. */
export function resvToRow(r: Reservation): Row {
  return {
    resv_id: r.id,
    name: r.name,
    owner: r.owner,
    state: r.state ? r.state.replace(/^RESV_/, '') : null,
    substate: r.substate,
    queue: r.queue,
    start_time: isoUtc(r.start),
    end_time: isoUtc(r.end),
    duration_s: r.duration,
    nodes: r.nodes,
    select: r.select,
    rrule: r.rrule,
    index: r.index,
    count: r.count,
  };
}

export const RESV_COLUMNS: ColumnSpec[] = [
  { key: 'resv_id', header: 'RESV ID', kind: 'text', flex: true },
  { key: 'name', header: 'NAME', kind: 'text', flex: true },
  { key: 'owner', header: 'OWNER', kind: 'text', flex: true },
  { key: 'state', header: 'STATE', kind: 'state' },
  { key: 'queue', header: 'QUEUE', kind: 'text' },
  { key: 'start_time', header: 'START', kind: 'time' },
  { key: 'end_time', header: 'END', kind: 'time' },
  { key: 'duration_s', header: 'DURATION', kind: 'duration' },
  { key: 'nodes', header: 'NODES', kind: 'list', flex: true },
  { key: 'select', header: 'SELECT', kind: 'text', flex: true },
];

export const DEFAULT_RESV_COLUMNS = [
  'resv_id',
  'name',
  'owner',
  'state',
  'queue',
  'start_time',
  'end_time',
  'duration_s',
  'nodes',
];
