/** `analyze wait-times`: queue wait statistics per group. */
import type { Deps } from '../../../deps.js';
import { waitTimes, type WaitBasis } from '../../../analyze/wait-times.js';
import { parseBy, type JobGroupBy } from '../../../analyze/groups.js';
import { UsageError } from '../../errors.js';
import { methodOf, runAnalysis, type AnalyzeFlags } from './common.js';

export interface WaitTimesFlags extends AnalyzeFlags {
  basis?: string;
  by?: string;
  exact?: boolean;
  approx?: boolean;
}

const BY: JobGroupBy[] = ['none', 'queue', 'nodes', 'walltime', 'hour', 'user', 'project'];

export async function run(flags: WaitTimesFlags, deps: Deps): Promise<void> {
  const basis = (flags.basis ?? 'eligible') as WaitBasis;
  if (basis !== 'eligible' && basis !== 'queued')
    throw new UsageError(`--basis must be eligible or queued, got '${flags.basis}'`);
  const by = parseBy(flags.by, BY, 'queue');
  const method = methodOf(flags);
  await runAnalysis(flags, deps, (db, filter) => waitTimes(db, { filter, basis, by, method }));
}
