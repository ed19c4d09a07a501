/** `analyze efficiency`: walltime and CPU efficiency per group. */
import type { Deps } from '../../../deps.js';
import { efficiency } from '../../../analyze/efficiency.js';
import { parseBy, type JobGroupBy } from '../../../analyze/groups.js';
import { runAnalysis, type AnalyzeFlags } from './common.js';

export interface EfficiencyFlags extends AnalyzeFlags {
  by?: string;
}

const BY: JobGroupBy[] = ['none', 'user', 'project', 'queue'];

export async function run(flags: EfficiencyFlags, deps: Deps): Promise<void> {
  const by = parseBy(flags.by, BY, 'user');
  await runAnalysis(flags, deps, (db, filter) => efficiency(db, { filter, by }));
}
