/** `queues`: the live queue list (qstat -Q -f -F json). */
import type { Deps } from '../../../deps.js';
import { emitRows } from '../../output/emit.js';
import type { ViewFlags } from '../../output/view-flags.js';
import {
  queueToRow,
  QUEUE_COLUMNS,
  DEFAULT_QUEUE_COLUMNS,
  QUEUE_COLUMN_ALIASES,
} from '../../output/queue-row.js';
import { chooseColumns, persistIfAsked, sortRows, viewContext } from '../../output/view-support.js';

export interface QueuesOptions extends ViewFlags {
  columns?: string;
}

/** Shows every queue, by name. */
export async function run(opts: QueuesOptions, deps: Deps): Promise<void> {
  const { loaded, config, pbs } = await viewContext(deps);
  const columns = chooseColumns(
    {
      all: QUEUE_COLUMNS,
      aliases: QUEUE_COLUMN_ALIASES,
      defaults: DEFAULT_QUEUE_COLUMNS,
      cli: opts.columns,
      config: config.display.default_queue_columns,
      configKey: 'display.default_queue_columns',
    },
    deps,
  );
  const parsed = await pbs.queues();
  const rows = sortRows(parsed.items.map(queueToRow), 'name');
  emitRows(deps.io, rows, { format: opts.format, columns, emptyNote: 'no queues' }, config);
  await persistIfAsked({ queues: parsed }, Boolean(opts.collect), loaded, deps);
}
