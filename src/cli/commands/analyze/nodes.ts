/** `analyze nodes`: per-node downtime, worst first. */
import type { Deps } from '../../../deps.js';
import { nodeDowntime } from '../../../analyze/node-downtime.js';
import { parseTop, runAnalysis, type AnalyzeFlags } from './common.js';

export interface NodesFlags extends AnalyzeFlags {
  top?: string;
}

export async function run(flags: NodesFlags, deps: Deps): Promise<void> {
  const top = parseTop(flags.top ?? '20');
  await runAnalysis(flags, deps, (db, filter) => nodeDowntime(db, { filter, top }));
}
