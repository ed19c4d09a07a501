/** `analyze utilization`: nodes / cores / GPUs busy vs available over time. */
import type { Deps } from '../../../deps.js';
import { utilization } from '../../../analyze/utilization.js';
import { parseBy } from '../../../analyze/groups.js';
import { parseInterval, runAnalysis, type AnalyzeFlags } from './common.js';

export interface UtilizationFlags extends AnalyzeFlags {
  interval?: string;
  by?: string;
}

export async function run(flags: UtilizationFlags, deps: Deps): Promise<void> {
  const interval = parseInterval(flags.interval);
  const by = parseBy<'time' | 'queue'>(flags.by, ['time', 'queue'], 'time');
  await runAnalysis(flags, deps, (db, filter) => utilization(db, { filter, interval, by }), {
    defaultDays: 7,
  });
}
