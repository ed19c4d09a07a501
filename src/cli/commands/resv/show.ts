/** `resv show <id>`: one reservation in full. */
import type { Deps } from '../../../deps.js';
import { NoResultsError } from '../../errors.js';
import type { ViewFlags } from '../../output/view-flags.js';
import { resvToRow, RESV_COLUMNS } from '../../output/resv-row.js';
import { cellText } from '../../output/columns.js';
import { renderCsv } from '../../output/csv.js';
import { renderJson } from '../../output/json.js';
import { renderRecord } from '../../output/record.js';
import { persistIfAsked, viewContext } from '../../output/view-support.js';

export interface ResvShowOptions extends ViewFlags {
  id: string;
}

/** Shows one reservation; an unknown id is NoResultsError (exit 1). */
export async function run(opts: ResvShowOptions, deps: Deps): Promise<void> {
  const { loaded, pbs } = await viewContext(deps);
  const id = opts.id.trim();
  const parsed = await pbs.reservations();
  const resv = parsed.items.find(
    (r) => r.id === id || r.id.split('.')[0] === id || id.startsWith(`${r.id}.`),
  );
  if (!resv) throw new NoResultsError(`reservation ${id} not found (pbs_rstat does not list it)`);
  const row = resvToRow(resv);
  if (opts.format === 'json') deps.io.write(renderJson({ ...row, raw: resv.raw }));
  else if (opts.format === 'csv') deps.io.write(renderCsv([row], RESV_COLUMNS));
  else {
    deps.io.write(renderRecord(RESV_COLUMNS.map((c) => [c.key, cellText(row[c.key], c.kind)])));
    deps.io.write('\nPBS attributes:\n');
    deps.io.write(renderRecord(Object.entries(resv.raw), '  '));
  }
  await persistIfAsked(
    { reservations: { ...parsed, items: [resv] } },
    Boolean(opts.collect),
    loaded,
    deps,
  );
}
