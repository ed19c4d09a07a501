/**
 * Command definitions (commander). Each noun registers its flags from a small `register.ts`;
 * the behaviour is imported lazily inside the action, so `--help` loads almost nothing.
 */
import { Command, Option } from 'commander';
import type { Deps, GlobalOptions } from '../deps.js';
import { registerAll } from './commands/index.js';

export interface ProgramContext {
  /** build the deps for this invocation once the global options are known */
  deps(globals: GlobalOptions): Deps;
  version: string;
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/** Reads the global options from the root command. */
export function globalsOf(cmd: Command): GlobalOptions {
  let root = cmd;
  while (root.parent) root = root.parent;
  const o = root.opts<{ verbose?: boolean; quiet?: boolean; logFile?: string; config?: string }>();
  return {
    verbose: Boolean(o.verbose),
    quiet: Boolean(o.quiet),
    logFile: o.logFile,
    configPath: o.config,
  };
}

/** What every action gets: its deps, built from the global options of the command line. */
export type ActionDeps = (cmd: Command) => Deps;

export function buildProgram(ctx: ProgramContext): Command {
  const program = new Command('pbs-monitor')
    .description('Live views and a durable history of a PBS Professional / OpenPBS cluster')
    .version(ctx.version, '--version', 'print the version')
    .option('-v, --verbose', 'more detail: debug logs, repair warnings, stacks of internal errors')
    .option('-q, --quiet', 'only errors on stderr')
    .option('--log-file <path>', 'append JSON log lines to this file')
    .addOption(
      new Option(
        '-c, --config <path>',
        'configuration file (else PBS_MONITOR_CONFIG, then the usual places)',
      ),
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: ctx.writeOut, writeErr: ctx.writeErr })
    .exitOverride();
  program.enablePositionalOptions(false);
  const depsOf: ActionDeps = (cmd) => ctx.deps(globalsOf(cmd));
  registerAll(program, depsOf);
  // subcommands inherit output handling and exitOverride so usage errors map to exit 2
  const propagate = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.configureOutput({ writeOut: ctx.writeOut, writeErr: ctx.writeErr }).exitOverride();
      sub.showHelpAfterError('(run with --help for usage)');
      propagate(sub);
    }
  };
  propagate(program);
  return program;
}
