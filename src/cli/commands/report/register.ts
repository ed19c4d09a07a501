/** `report`: a self-contained HTML report (charts as inline SVG, tables) for a period. */
import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';

export function register(program: Command, depsOf: ActionDeps): void {
  program
    .command('report')
    .description('write one self-contained HTML report (charts and tables) for a period')
    .option('--out <file>', 'the HTML file to write')
    .option('--days <n>', 'the last n days (default 30)')
    .option('--since <time>', 'window start: YYYY-MM-DD[THH:MM] (UTC) or epoch seconds')
    .option('--until <time>', 'window end (default now)')
    .option('--user <user>', 'only this job owner')
    .option('--project <project>', 'only this project')
    .option('--queue <queue>', 'only this queue')
    .option('--server <name>', 'only this PBS server')
    .option('--title <text>', 'the report title', 'PBS cluster report')
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./run.js');
      await run(opts, deps);
    });
}
