/** `analyze usage`: node-hours and jobs per user / project / queue. */
import type { Deps } from '../../../deps.js';
import { usage, type UsageBy } from '../../../analyze/usage.js';
import { parseBy } from '../../../analyze/groups.js';
import { methodOf, parseTop, runAnalysis, type AnalyzeFlags } from './common.js';

export interface UsageFlags extends AnalyzeFlags {
  by?: string;
  top?: string;
  exact?: boolean;
  approx?: boolean;
}

export async function run(flags: UsageFlags, deps: Deps): Promise<void> {
  const by = parseBy<UsageBy>(flags.by, ['user', 'project', 'queue'], 'user');
  const top = parseTop(flags.top);
  const method = methodOf(flags);
  await runAnalysis(flags, deps, (db, filter) => usage(db, { filter, by, top, method }));
}
