import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { addViewFlags } from '../../output/view-flags.js';

/** `resv list` and `resv show <id>`: reservations (pbs_rstat -f). */
export function register(program: Command, depsOf: ActionDeps): void {
  const resv = program.command('resv').description('reservations');
  const list = resv.command('list').description('list reservations');
  addViewFlags(list).action(async (opts, c: Command) => {
    const deps = depsOf(c);
    const { run } = await import('./list.js');
    await run(opts, deps);
  });
  const show = resv
    .command('show')
    .description('show one reservation in full')
    .argument('<id>', 'reservation id (R123 or R123.server)');
  addViewFlags(show).action(async (id: string, opts, c: Command) => {
    const deps = depsOf(c);
    const { run } = await import('./show.js');
    await run({ ...opts, id }, deps);
  });
}
