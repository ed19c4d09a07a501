import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { addViewFlags } from '../../output/view-flags.js';

/** `job show <id>`: one job in full (finished jobs too) and its stored history. */
export function register(program: Command, depsOf: ActionDeps): void {
  const job = program.command('job').description('one job in detail');
  const show = job
    .command('show')
    .description('show one job: every field, the raw PBS attributes and its stored lifecycle')
    .argument('<id>', 'job id (123, 123.server, 123[], 123[4])');
  addViewFlags(show).action(async (id: string, opts, c: Command) => {
    const deps = depsOf(c);
    const { run } = await import('./show.js');
    await run({ ...opts, id }, deps);
  });
}
