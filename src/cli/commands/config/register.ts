import { Option, type Command } from 'commander';
import type { ActionDeps } from '../../program.js';

/** `config create|show|validate`. */
export function register(program: Command, depsOf: ActionDeps): void {
  const config = program.command('config').description('the configuration file');
  config
    .command('create')
    .description('write a commented sample configuration (mode 0600)')
    .option('--path <path>', 'where to write it (default: ~/.pbs_monitor.yaml)')
    .option('--force', 'overwrite an existing file', false)
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./create.js');
      await run(opts, deps);
    });
  config
    .command('show')
    .description('print the configuration in effect and the file it came from (passwords masked)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'),
    )
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./show.js');
      await run(opts, deps);
    });
  config
    .command('validate')
    .description('check a configuration file (default: the one in effect); exit 0 or 2')
    .argument('[file]', 'file to check')
    .action(async (file: string | undefined, _opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./validate.js');
      await run({ file }, deps);
    });
}
