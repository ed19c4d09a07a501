import { Option, type Command } from 'commander';
import type { ActionDeps } from '../../program.js';

/** `daemon start|stop|status|restart|reload|install-service`. */
export function register(program: Command, depsOf: ActionDeps): void {
  const daemon = program
    .command('daemon')
    .description('the collection daemon: keeps the history up to date, unattended');
  const pidOpt = () =>
    new Option(
      '--pid-file <path>',
      'PID file (default: daemon.pid_file, ~/.pbs_monitor_daemon.pid)',
    );
  daemon
    .command('start')
    .description('run the daemon (foreground; --detach for the background)')
    .option('--detach', 'start in the background; return once it is running', false)
    .addOption(pidOpt())
    .option(
      '--log-file <path>',
      'JSON log lines here (default: logging.file; with --detach ~/.pbs_monitor_daemon.log)',
    )
    .addOption(
      new Option('--foreground-child', 'internal: the re-executed background daemon').hideHelp(),
    )
    .addOption(
      new Option(
        '--emulated <cluster-dir>',
        "run the schedule over an emulated cluster's time",
      ).hideHelp(),
    )
    .addOption(
      new Option('--days <n>', 'with --emulated: emulated days to run').default('7').hideHelp(),
    )
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./start.js');
      await run(opts, deps);
    });
  daemon
    .command('stop')
    .description('stop the daemon gracefully (SIGTERM) and wait until it is down')
    .addOption(pidOpt())
    .option('--timeout <seconds>', 'how long to wait (default: collection.shutdown_timeout + 15)')
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./stop.js');
      await run(opts, deps);
    });
  daemon
    .command('status')
    .description('is it running; last and next run of each collector; exit 0 running, 3 not')
    .addOption(pidOpt())
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./status.js');
      await run(opts, deps);
    });
  daemon
    .command('restart')
    .description('stop the daemon if it runs, then start it in the background')
    .addOption(pidOpt())
    .option('--log-file <path>', 'JSON log lines here')
    .option('--timeout <seconds>', 'how long to wait for the stop')
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./restart.js');
      await run(opts, deps);
    });
  daemon
    .command('reload')
    .description('re-read the configuration (new intervals) and reopen the log file (SIGHUP)')
    .addOption(pidOpt())
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./reload.js');
      await run(opts, deps);
    });
  daemon
    .command('install-service')
    .description('write a systemd unit for the daemon (user unit by default)')
    .option('--user', 'a user unit: ~/.config/systemd/user/pbs-monitor.service (default)')
    .option('--system', 'a system unit: /etc/systemd/system/pbs-monitor.service')
    .option('--print', 'print the unit instead of writing it', false)
    .option('--force', 'overwrite an existing unit file', false)
    .action(async (opts, c: Command) => {
      const deps = depsOf(c);
      const { run } = await import('./install-service.js');
      await run(opts, deps);
    });
}
