/**
 * `status`: the cluster on one screen. Job counts come from the server's and queues' state_count,
 * so status never needs a full job dump (hundreds of MB on a large machine).
 */
import type { Deps } from '../../../deps.js';
import type { ViewFlags } from '../../output/view-flags.js';
import { renderJson } from '../../output/json.js';
import { renderCsv } from '../../output/csv.js';
import { renderRecord } from '../../output/record.js';
import { renderTable } from '../../output/table.js';
import { tableWidth, useColour } from '../../output/emit.js';
import { formatDuration } from '../../output/format-values.js';
import { persistIfAsked, viewContext } from '../../output/view-support.js';
import { summarize, type StatusSummary, type Usage } from './summary.js';

export type StatusOptions = ViewFlags;

const pct = (u: Usage) =>
  u.available > 0 ? `${((100 * u.assigned) / u.available).toFixed(1)}%` : '-';

function historyText(s: StatusSummary['server']): string {
  if (s.job_history_enable === false) return 'disabled (finished jobs vanish from PBS at once)';
  if (s.job_history_enable === null) return 'unknown';
  return `enabled, finished jobs kept ${formatDuration(s.job_history_duration_s)}`;
}

/** The summary as flat CSV rows: section, key, value. */
function csvRows(s: StatusSummary): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const [k, v] of Object.entries(s.server)) rows.push({ section: 'server', key: k, value: v });
  for (const [k, v] of Object.entries(s.nodes_by_state))
    rows.push({ section: 'nodes', key: k, value: v });
  for (const [k, v] of Object.entries(s.jobs_by_state))
    rows.push({ section: 'jobs', key: k, value: v });
  for (const q of s.queues)
    for (const k of ['queued', 'running', 'held', 'total'] as const)
      rows.push({ section: `queue:${q.name}`, key: k, value: q[k] });
  for (const [res, u] of Object.entries(s.utilization))
    for (const k of ['assigned', 'available', 'total'] as const)
      rows.push({ section: `utilization:${res}`, key: k, value: u[k] });
  return rows;
}

/** Shows the cluster summary. */
export async function run(opts: StatusOptions, deps: Deps): Promise<void> {
  const { loaded, config, pbs } = await viewContext(deps);
  const [server, queues, nodes] = await Promise.all([
    pbs.server(),
    pbs.queues(),
    pbs.nodes({ vnodes: true }),
  ]);
  const s = summarize(server.items[0] ?? null, queues.items, nodes.items);
  const io = deps.io;
  if (opts.format === 'json') io.write(renderJson(s));
  else if (opts.format === 'csv') {
    const cols = ['section', 'key', 'value'].map((key) => ({
      key,
      header: key,
      kind: 'text' as const,
    }));
    io.write(renderCsv(csvRows(s), cols));
  } else {
    const t = { width: tableWidth(io, config), colour: useColour(io, config) };
    const sv = s.server;
    io.write(
      renderRecord([
        [
          'Server',
          `${sv.name ?? '?'}${sv.version ? ` (PBS ${sv.version})` : ''}, ${sv.state ?? 'state unknown'}`,
        ],
        ['Jobs', `${sv.total_jobs ?? '?'} in PBS now`],
        ['History', historyText(sv)],
      ]),
    );
    io.write(`\nNodes (${s.nodes_total})\n`);
    io.write(
      renderTable(
        Object.entries(s.nodes_by_state).map(([state, count]) => ({ state, count })),
        [
          { key: 'state', header: 'STATE', kind: 'state' },
          { key: 'count', header: 'COUNT', kind: 'int' },
        ],
        t,
      ),
    );
    io.write('\nJobs by state\n');
    io.write(
      renderTable(
        Object.entries(s.jobs_by_state).map(([state, count]) => ({ state, count })),
        [
          { key: 'state', header: 'STATE', kind: 'text' },
          { key: 'count', header: 'COUNT', kind: 'int' },
        ],
        t,
      ),
    );
    io.write('\nQueues\n');
    io.write(
      renderTable(
        s.queues,
        [
          { key: 'name', header: 'QUEUE', kind: 'text', flex: true },
          { key: 'queued', header: 'QUEUED', kind: 'int' },
          { key: 'running', header: 'RUNNING', kind: 'int' },
          { key: 'held', header: 'HELD', kind: 'int' },
          { key: 'total', header: 'TOTAL', kind: 'int' },
        ],
        t,
      ),
    );
    io.write('\nUtilization (of available nodes)\n');
    io.write(
      renderTable(
        Object.entries(s.utilization).map(([resource, u]) => ({
          resource,
          assigned: u.assigned,
          available: u.available,
          total: u.total,
          percent: pct(u),
        })),
        [
          { key: 'resource', header: 'RESOURCE', kind: 'text' },
          { key: 'assigned', header: 'ASSIGNED', kind: 'int' },
          { key: 'available', header: 'AVAILABLE', kind: 'int' },
          { key: 'total', header: 'TOTAL', kind: 'int' },
          { key: 'percent', header: 'USED', kind: 'num' },
        ],
        t,
      ),
    );
    const spark = await sparklines(sv.name, deps);
    if (spark) io.write(`\nLast 24 h (history database)\n${spark.map((l) => `  ${l}\n`).join('')}`);
  }
  await persistIfAsked({ server, queues, nodes }, Boolean(opts.collect), loaded, deps);
}

/** Sparklines of the last 24 h when a history database exists; null otherwise (never an error). */
async function sparklines(server: string | null, deps: Deps): Promise<string[] | null> {
  try {
    const db = await deps.db();
    const { sparklineSummary } = await import('../../../analyze/sparklines.js');
    return await sparklineSummary(db, server, deps.clock.now());
  } catch {
    return null; // no database yet, or an old one: status still works without history
  }
}
