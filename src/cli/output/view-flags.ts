/** Flags every live view shares: --format and --collect; plus small argument parsers. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { FORMATS, type OutputFormat } from './formats.js';

export interface ViewFlags {
  format: OutputFormat;
  collect: boolean;
}

/** Adds `--format table|json|csv` and `--collect` to a view command. */
export function addViewFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'),
    )
    .option(
      '--collect',
      'after showing, store what was shown in the history database (as database.auto_persist does)',
      false,
    );
}

/** Commander parser for a positive whole number (e.g. --limit). */
export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(value);
}
