import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { addViewFlags } from '../../output/view-flags.js';

/** `nodes`: the live node list. */
export function register(program: Command, depsOf: ActionDeps): void {
  const cmd = program
    .command('nodes')
    .description('list nodes with their state, resources and jobs')
    .option(
      '-s, --state <states>',
      'only nodes in one of these states, a comma list (e.g. free,down)',
    )
    .option('--detailed', 'more columns: resources used/total, job ids, comment', false)
    .option('--vnodes', 'list every vnode (pbsnodes -av) instead of hosts', false)
    .option('--columns <list>', 'columns to show, comma separated')
    .option('--sort <column>', 'sort by this column (default: name)')
    .option('--reverse', 'reverse the sort order', false);
  addViewFlags(cmd).action(async (opts, c: Command) => {
    const deps = depsOf(c);
    const { run } = await import('./list.js');
    await run(opts, deps);
  });
}
