import { Option, type Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { positiveInt } from '../../output/view-flags.js';

/** `demo`: the whole tool on an emulated cluster, no PBS needed. */
export function register(program: Command, depsOf: ActionDeps): void {
  program
    .command('demo')
    .description(
      'show pbs-monitor working on an emulated PBS cluster (no PBS needed): live views, ' +
        'a week of collection by the daemon, history, a job timeline and analytics',
    )
    .addOption(
      new Option('--preset <name>', 'cluster size')
        .choices(['tiny', 'small', 'polaris'])
        .default('small'),
    )
    .option('--days <n>', 'emulated days the daemon collects for', positiveInt, 3)
    .option('--seed <n>', 'workload seed', positiveInt, 7)
    .option(
      '--dir <path>',
      'keep the cluster, config and database in this folder (else a temporary one, removed)',
    )
    .option('--no-history', 'only the live views (skip the emulated week of collection)')
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./run.js');
      await run(opts, deps);
    });
}
