import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ActionDeps } from '../../program.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError('expected a whole number of days greater than 0');
  }
  return n;
}

const format = () =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

/** `database init|migrate|status|validate|backup|restore|cleanup|vacuum`. */
export function register(program: Command, depsOf: ActionDeps): void {
  const database = program
    .command('database')
    .description('the history database: create, migrate, check, back up, restore, clean up');
  database
    .command('init')
    .description('create the database (file mode 0600) and its tables')
    .option('--force', 'drop every pbs-monitor table first and start empty', false)
    .option('--yes', 'do not ask for confirmation', false)
    .action(async (opts, c: Command) => {
      const { run } = await import('./init.js');
      await run(opts, depsOf(c));
    });
  database
    .command('migrate')
    .description('bring the schema up to this version of pbs-monitor')
    .action(async (_opts, c: Command) => {
      const { run } = await import('./migrate.js');
      await run({}, depsOf(c));
    });
  database
    .command('status')
    .description('where the database is, its schema version, rows per table and size')
    .addOption(format())
    .action(async (opts, c: Command) => {
      const { run } = await import('./status.js');
      await run(opts, depsOf(c));
    });
  database
    .command('validate')
    .description('check the schema, orphans and invariants; exit 1 naming each problem')
    .addOption(format())
    .action(async (opts, c: Command) => {
      const { run } = await import('./validate.js');
      await run(opts, depsOf(c));
    });
  database
    .command('backup')
    .description(
      'copy the database while it is in use (SQLite online backup; pg_dump for PostgreSQL)',
    )
    .argument('[path]', 'where to write the copy (default: <db>.backup-<UTC time>)')
    .action(async (path: string | undefined, _opts, c: Command) => {
      const { run } = await import('./backup.js');
      await run({ path }, depsOf(c));
    });
  database
    .command('restore')
    .description('replace the SQLite database with a backup (not while a collector runs)')
    .argument('<path>', 'the backup file')
    .option('--yes', 'do not ask for confirmation', false)
    .action(async (path: string, opts: { yes: boolean }, c: Command) => {
      const { run } = await import('./restore.js');
      await run({ path, yes: opts.yes }, depsOf(c));
    });
  database
    .command('cleanup')
    .description('remove history older than the retention periods (config `retention:`)')
    .option('--job-history-days <n>', 'keep jobs that ended within this many days', positiveInt)
    .option(
      '--snapshot-days <n>',
      'keep node/queue/system snapshots of this many days',
      positiveInt,
    )
    .option('--dry-run', 'only print what would be removed', false)
    .option('--yes', 'do not ask for confirmation', false)
    .option(
      '--archive <dir>',
      'first write what is removed as Parquet files (per table and month) into this folder',
    )
    .action(async (opts, c: Command) => {
      const { run } = await import('./cleanup.js');
      await run(opts, depsOf(c));
    });
  database
    .command('vacuum')
    .description('reclaim space (SQLite VACUUM; PostgreSQL VACUUM ANALYZE)')
    .action(async (_opts, c: Command) => {
      const { run } = await import('./vacuum.js');
      await run({}, depsOf(c));
    });
}
