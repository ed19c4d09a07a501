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

type GlobalFlags = { verbose?: boolean; quiet?: boolean; logFile?: string; config?: string };

/**
 * Reads the global options. They may come before the subcommand (root) or after it (leaf):
 * merged along the command chain, the leaf winning.
 */
export function globalsOf(cmd: Command): GlobalOptions {
  const g: GlobalFlags = {};
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  for (const c of chain) {
    const o = c.opts<GlobalFlags>();
    if (o.verbose === true) g.verbose = true;
    if (o.quiet === true) g.quiet = true;
    if (typeof o.logFile === 'string') g.logFile = o.logFile;
    if (typeof o.config === 'string') g.config = o.config;
  }
  return {
    verbose: Boolean(g.verbose),
    quiet: Boolean(g.quiet),
    logFile: g.logFile,
    configPath: g.config,
  };
}

/** What every action gets: its deps, built from the global options of the command line. */
export type ActionDeps = (cmd: Command) => Deps;

/**
 * Lets the global options also follow the subcommand (`pbs-monitor jobs --verbose`). Short forms
 * a command already uses for itself (`jobs -q/--queue`) stay the command's.
 */
function addGlobalsToLeaves(cmd: Command): void {
  for (const sub of cmd.commands) {
    if (sub.commands.length > 0) {
      addGlobalsToLeaves(sub);
      continue;
    }
    const taken = new Set(sub.options.flatMap((o) => [o.short, o.long].filter(Boolean)));
    const add = (short: string, long: string, rest: string, help: string) => {
      if (taken.has(long)) return;
      const flags = short && !taken.has(short) ? `${short}, ${long}${rest}` : `${long}${rest}`;
      sub.addOption(new Option(flags, help).hideHelp());
    };
    add('-v', '--verbose', '', 'more detail');
    add('-q', '--quiet', '', 'only errors on stderr');
    add('', '--log-file', ' <path>', 'append JSON log lines to this file');
    add('-c', '--config', ' <path>', 'configuration file');
  }
}

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
  // root options are read only before the subcommand, so `jobs -q QUEUE` is the queue filter
  program.enablePositionalOptions();
  const depsOf: ActionDeps = (cmd) => ctx.deps(globalsOf(cmd));
  registerAll(program, depsOf);
  addGlobalsToLeaves(program);
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
