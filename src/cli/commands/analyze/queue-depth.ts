/** `analyze queue-depth`: queued jobs and node-hours over time per queue. */
import type { Deps } from '../../../deps.js';
import { queueDepth } from '../../../analyze/queue-depth.js';
import { parseInterval, runAnalysis, type AnalyzeFlags } from './common.js';

export interface QueueDepthFlags extends AnalyzeFlags {
  interval?: string;
}

export async function run(flags: QueueDepthFlags, deps: Deps): Promise<void> {
  const interval = parseInterval(flags.interval);
  await runAnalysis(flags, deps, (db, filter) => queueDepth(db, { filter, interval }), {
    defaultDays: 7,
  });
}
