/** `analyze throughput`: jobs started / finished per day, or failures by exit status. */
import type { Deps } from '../../../deps.js';
import { throughput, type ThroughputBy } from '../../../analyze/throughput.js';
import { parseBy } from '../../../analyze/groups.js';
import { runAnalysis, type AnalyzeFlags } from './common.js';

export interface ThroughputFlags extends AnalyzeFlags {
  by?: string;
}

export async function run(flags: ThroughputFlags, deps: Deps): Promise<void> {
  const by = parseBy<ThroughputBy>(flags.by, ['day', 'exit'], 'day');
  await runAnalysis(flags, deps, (db, filter) => throughput(db, { filter, by }));
}
