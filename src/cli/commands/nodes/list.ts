/** `nodes`: the live node list (pbsnodes -a / -av). */
import type { Deps } from '../../../deps.js';
import { emitRows } from '../../output/emit.js';
import type { ViewFlags } from '../../output/view-flags.js';
import {
  nodeToRow,
  NODE_COLUMNS,
  DEFAULT_NODE_COLUMNS,
  DETAILED_NODE_COLUMNS,
  NODE_COLUMN_ALIASES,
} from '../../output/node-row.js';
import {
  chooseColumns,
  persistIfAsked,
  sortKey,
  sortRows,
  viewContext,
} from '../../output/view-support.js';

export interface NodesOptions extends ViewFlags {
  /** comma list of node states; a node matches when any of its states is listed */
  state?: string;
  detailed?: boolean;
  vnodes?: boolean;
  columns?: string;
  sort?: string;
  reverse?: boolean;
}

/** Shows the nodes matching the filters. */
export async function run(opts: NodesOptions, deps: Deps): Promise<void> {
  const { loaded, config, pbs } = await viewContext(deps);
  const columns = chooseColumns(
    {
      all: NODE_COLUMNS,
      aliases: NODE_COLUMN_ALIASES,
      defaults: opts.detailed ? DETAILED_NODE_COLUMNS : DEFAULT_NODE_COLUMNS,
      cli: opts.columns,
      // --detailed asks for the detailed set, whatever the configured default
      config: opts.detailed ? null : config.display.default_node_columns,
      configKey: 'display.default_node_columns',
    },
    deps,
  );
  const sortBy = sortKey(opts.sort ?? 'name', NODE_COLUMNS, NODE_COLUMN_ALIASES);
  const parsed = await pbs.nodes({ vnodes: Boolean(opts.vnodes) });
  const wanted = opts.state
    ?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const nodes = parsed.items.filter(
    (n) => !wanted || n.states.some((s) => wanted.includes(s.toLowerCase())),
  );
  const rows = sortRows(nodes.map(nodeToRow), sortBy, opts.reverse);
  emitRows(deps.io, rows, { format: opts.format, columns, emptyNote: 'no nodes match' }, config);
  await persistIfAsked({ nodes: parsed }, Boolean(opts.collect), loaded, deps);
}
