/** `resv list`: reservations (pbs_rstat -f). */
import type { Deps } from '../../../deps.js';
import { emitRows } from '../../output/emit.js';
import type { ViewFlags } from '../../output/view-flags.js';
import { resvToRow, RESV_COLUMNS, DEFAULT_RESV_COLUMNS } from '../../output/resv-row.js';
import { selectColumns } from '../../output/columns.js';
import { persistIfAsked, sortRows, viewContext } from '../../output/view-support.js';

export type ResvListOptions = ViewFlags;

/** Shows every reservation, by start time. */
export async function run(opts: ResvListOptions, deps: Deps): Promise<void> {
  const { loaded, config, pbs } = await viewContext(deps);
  const parsed = await pbs.reservations();
  const rows = sortRows(parsed.items.map(resvToRow), 'start_time');
  const columns = selectColumns(RESV_COLUMNS, DEFAULT_RESV_COLUMNS).columns;
  emitRows(deps.io, rows, { format: opts.format, columns, emptyNote: 'no reservations' }, config);
  await persistIfAsked({ reservations: parsed }, Boolean(opts.collect), loaded, deps);
}
