/**
 * `analyze nodes`: per node, time down and time offline inside the window, the number of
 * outages that began in it, and the last comment, from the node events (state changes).
 * A node's state at the window start is its last event before it. "down" covers PBS's
 * down / state-unknown / unknown / stale; "offline" is an admin's offline (both may overlap).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult, Cell } from './result.js';
import type { AnalysisFilter } from './window.js';
import { num0, serverWhere } from './sql-util.js';
import { barSpec } from './plot-specs.js';

export interface NodesOptions {
  filter: AnalysisFilter;
  top?: number;
}

const DOWN = new Set(['down', 'state-unknown', 'unknown', 'stale']);
const has = (states: string, set: Set<string> | string) =>
  states.split(',').some((s) => (typeof set === 'string' ? s.trim() === set : set.has(s.trim())));

export interface NodeDowntime {
  node: string;
  down_s: number;
  offline_s: number;
  outages: number;
  last_comment: string | null;
  state_now: string;
}

/** Folds one node's time-ordered events into its downtime inside [from, to). */
export function foldNodeEvents(
  node: string,
  events: Array<{ t: number; to_states: string; comment: string | null }>,
  from: number,
  to: number,
): NodeDowntime {
  const r: NodeDowntime = {
    node,
    down_s: 0,
    offline_s: 0,
    outages: 0,
    last_comment: null,
    state_now: '',
  };
  let state = '';
  let since = from;
  const close = (until: number) => {
    const a = Math.max(since, from);
    const b = Math.min(until, to);
    if (b > a) {
      if (has(state, DOWN)) r.down_s += b - a;
      if (has(state, 'offline')) r.offline_s += b - a;
    }
  };
  for (const e of events) {
    if (e.t >= to) break;
    close(e.t);
    const wasOut = has(state, DOWN) || has(state, 'offline');
    const isOut = has(e.to_states, DOWN) || has(e.to_states, 'offline');
    if (isOut && !wasOut && e.t >= from) r.outages++;
    state = e.to_states;
    since = e.t;
    if (e.comment) r.last_comment = e.comment;
  }
  close(to);
  r.state_now = state;
  return r;
}

/** Computes the per-node downtime table, worst first. */
export async function nodeDowntime(db: Kysely<Database>, o: NodesOptions): Promise<AnalysisResult> {
  const srv = o.filter.server ? sql` AND ${serverWhere(o.filter.server, 'e')}` : sql``;
  const res = await sql<{ node: string; t: unknown; to_states: string; comment: string | null }>`
    SELECT e.node AS node, COALESCE(e.event_time, e.observed_at) AS t, e.to_states AS to_states, e.comment AS comment
    FROM node_events e WHERE e.observed_at < ${o.filter.to}${srv}
    ORDER BY e.node, COALESCE(e.event_time, e.observed_at), e.id`.execute(db);
  const byNode = new Map<string, Array<{ t: number; to_states: string; comment: string | null }>>();
  for (const r of res.rows) {
    let l = byNode.get(r.node);
    if (!l) byNode.set(r.node, (l = []));
    l.push({ t: num0(r.t), to_states: r.to_states, comment: r.comment });
  }
  const all = [...byNode.entries()]
    .map(([node, ev]) => foldNodeEvents(node, ev, o.filter.from, o.filter.to))
    .filter((r) => r.down_s + r.offline_s + r.outages > 0)
    .sort(
      (a, b) =>
        b.down_s + b.offline_s - (a.down_s + a.offline_s) ||
        b.outages - a.outages ||
        (a.node < b.node ? -1 : 1),
    );
  const shown = o.top ? all.slice(0, o.top) : all;
  const h = (s: number) => Math.round((s / 3600) * 100) / 100;
  const rows: Array<Record<string, Cell>> = shown.map((r) => ({
    node: r.node,
    down_hours: h(r.down_s),
    offline_hours: h(r.offline_s),
    outages: r.outages,
    state_at_end: r.state_now,
    last_comment: r.last_comment,
  }));
  const notes = [
    'from node state-change events; nodes never down or offline in the window are not listed',
  ];
  if (o.top && all.length > o.top) notes.push(`worst ${o.top} of ${all.length} nodes shown`);
  return {
    title: 'Node downtime',
    columns: ['node', 'down_hours', 'offline_hours', 'outages', 'state_at_end', 'last_comment'],
    rows,
    notes,
    plot: barSpec({
      title: 'Hours down / offline per node',
      rows: rows.flatMap((r) => [
        { node: r.node, kind: 'down', hours: r.down_hours },
        { node: r.node, kind: 'offline', hours: r.offline_hours },
      ]),
      x: 'node',
      xTitle: 'node',
      y: 'hours',
      yTitle: 'hours in window',
      color: 'kind',
    }),
  };
}
