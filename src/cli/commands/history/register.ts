import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { FORMATS } from '../../output/formats.js';

const nonNegativeInt = (v: string): number => {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return Number(v);
};
const integer = (v: string): number => {
  if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(v);
};
const positiveNumber = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
};

/** `history`: completed jobs from the database. */
export function register(program: Command, depsOf: ActionDeps): void {
  program
    .command('history')
    .description('completed jobs from the history database (also those PBS has forgotten)')
    .option('-u, --user <user>', 'only this owner')
    .option('-p, --project <project>', 'only this project')
    .option('-q, --queue <queue>', 'only this queue')
    .option('-d, --days <n>', 'jobs that ended in the last N days', positiveNumber, 30)
    .option(
      '--since <when>',
      'ended at or after (ISO date/time, UTC unless a zone is given, or epoch seconds)',
    )
    .option('--until <when>', 'ended at or before (ISO date/time or epoch seconds)')
    .option(
      '-s, --state <state>',
      'F (finished, incl. expired subjobs), E, another state letter list, or all',
      'completed',
    )
    .option('--exit-status <n>', 'only this exit status', integer)
    .option('--columns <list>', 'comma-separated columns (table / CSV)')
    .option(
      '--sort <key>',
      'job_id|name|owner|queue|submit_time|start_time|end_time|wait_time|runtime|nodes',
    )
    .option('--reverse', 'reverse the order', false)
    .option('--limit <n>', 'at most N jobs (0 = all)', nonNegativeInt, 100)
    .option(
      '--include-pbs-history',
      'also show finished jobs live PBS (qstat -x) holds that the database does not have yet',
      false,
    )
    .addOption(
      new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'),
    )
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./list.js');
      await run(opts, deps);
    });
}
