/** `analyze quality`: the data-quality report. */
import type { Deps } from '../../../deps.js';
import { qualityReport } from '../../../analyze/quality.js';
import { runAnalysis, type AnalyzeFlags } from './common.js';

export async function run(flags: AnalyzeFlags, deps: Deps): Promise<void> {
  await runAnalysis(flags, deps, (db, filter) => qualityReport(db, filter, deps.clock.now()), {
    qualityLine: false,
  });
}
