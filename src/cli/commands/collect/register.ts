import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';

/** `collect [--jobs] [--nodes] [--queues] [--reservations] [--system] [--all]`: one run, for cron. */
export function register(program: Command, depsOf: ActionDeps): void {
  program
    .command('collect')
    .description(
      'collect once into the history database, without display (for cron); default: all collectors',
    )
    .option('--jobs', 'jobs (live, subjobs and finished ones) and the server')
    .option('--nodes', 'node state changes and snapshots')
    .option('--queues', 'per-queue snapshots')
    .option('--reservations', 'reservations and their state history')
    .option('--system', 'one system-wide snapshot')
    .option('--all', 'every collector (the default)')
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./run.js');
      await run(opts, deps);
    });
}
