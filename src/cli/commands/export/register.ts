/** `export <jobs|transitions|nodes|queues|system>`: streaming export of the history. */
import { Argument, type Command } from 'commander';
import type { ActionDeps } from '../../program.js';

export function register(program: Command, depsOf: ActionDeps): void {
  program
    .command('export')
    .description(
      'export a history table to CSV, JSON lines or Parquet (streaming, constant memory)',
    )
    .addArgument(
      new Argument('<what>', 'what to export').choices([
        'jobs',
        'transitions',
        'nodes',
        'queues',
        'system',
      ]),
    )
    .option('--format <format>', 'csv, jsonl or parquet', 'csv')
    .option('--out <file>', 'output file')
    .option('--days <n>', 'only the last n days (default: all rows)')
    .option(
      '--since <time>',
      'window start (jobs: submit time; others: observation / snapshot time)',
    )
    .option('--until <time>', 'window end')
    .option('--user <user>', 'only this owner (jobs, transitions)')
    .option('--project <project>', 'only this project (jobs, transitions)')
    .option('--queue <queue>', 'only this queue')
    .option('--server <name>', 'only this PBS server')
    .option('--batch-size <n>', 'rows per batch / Parquet row group', '10000')
    .action(async (what: string, opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./run.js');
      await run(what, opts, deps);
    });
}
