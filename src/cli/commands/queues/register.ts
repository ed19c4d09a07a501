import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { addViewFlags } from '../../output/view-flags.js';

/** `queues`: the live queue list. */
export function register(program: Command, depsOf: ActionDeps): void {
  const cmd = program
    .command('queues')
    .description('list queues with their job counts and limits')
    .option('--columns <list>', 'columns to show, comma separated');
  addViewFlags(cmd).action(async (opts, c: Command) => {
    const deps = depsOf(c);
    const { run } = await import('./list.js');
    await run(opts, deps);
  });
}
