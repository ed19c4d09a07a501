import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { addViewFlags, positiveInt } from '../../output/view-flags.js';

/** `jobs`: the live job list with filters, columns, sort and limit. */
export function register(program: Command, depsOf: ActionDeps): void {
  const cmd = program
    .command('jobs')
    .description('list jobs PBS knows now (add -x for finished jobs still in PBS history)')
    .option('-u, --user <user>', 'only this owner')
    .option('-s, --state <letters>', 'only these states, a comma list (e.g. R,Q,H)')
    .option('-q, --queue <queue>', 'only this queue')
    .option('-p, --project <text>', 'only projects containing this text')
    .option('--columns <list>', 'columns to show, comma separated (see docs: job_id,name,owner,…)')
    .option('--sort <column>', 'sort by this column (default: job id)')
    .option('--reverse', 'reverse the sort order', false)
    .option('--limit <n>', 'show at most n jobs', positiveInt)
    .option('-x, --finished', 'include finished and moved jobs (qstat -x)', false)
    .option('-t, --subjobs', 'include array subjobs (qstat -t)', false);
  addViewFlags(cmd).action(async (opts, c: Command) => {
    const deps = depsOf(c);
    const { run } = await import('./list.js');
    await run(opts, deps);
  });
}
