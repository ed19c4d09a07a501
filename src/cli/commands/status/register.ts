import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { addViewFlags } from '../../output/view-flags.js';

/** `status`: a one-screen summary of the cluster. */
export function register(program: Command, depsOf: ActionDeps): void {
  const cmd = program
    .command('status')
    .description('cluster summary: server, nodes and jobs by state, queues, utilization');
  addViewFlags(cmd).action(async (opts, c: Command) => {
    const deps = depsOf(c);
    const { run } = await import('./show.js');
    await run(opts, deps);
  });
}
