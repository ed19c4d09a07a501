/**
 * What every `analyze` command shares: the window / filter / format / plot flags, and the
 * runner that computes, prints (stdout: data; stderr: notes and the data-quality line) and plots.
 */
import { Option, type Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Deps } from '../../../deps.js';
import type { Database } from '../../../store/schema.js';
import type { AnalysisResult } from '../../../analyze/result.js';
import type { AnalysisFilter, FilterFlags } from '../../../analyze/window.js';
import { UsageError } from '../../errors.js';
import { FORMATS, type OutputFormat } from '../../output/formats.js';
import type { ColumnSpec } from '../../output/columns.js';

export interface AnalyzeFlags extends FilterFlags {
  format: OutputFormat;
  plot?: string;
}

/** Adds the window, filter, format and plot flags. */
export function addAnalyzeFlags(cmd: Command, opts: { filters?: boolean } = {}): Command {
  cmd
    .option('--days <n>', 'the last n days (default 30)')
    .option(
      '--since <time>',
      'window start: YYYY-MM-DD[THH:MM[:SS]] (UTC unless a zone is given) or epoch seconds',
    )
    .option('--until <time>', 'window end (default now)')
    .option('--server <name>', 'only this PBS server (default: all)');
  if (opts.filters !== false) {
    cmd
      .option('--user <user>', 'only this job owner')
      .option('--project <project>', 'only this project')
      .option('--queue <queue>', 'only this queue');
  }
  return cmd
    .addOption(
      new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'),
    )
    .option('--plot <file>', 'also draw a chart to FILE.png or FILE.svg');
}

/** Column specs inferred from a result: *_s columns are durations (humane in tables). */
export function columnsOf(r: AnalysisResult): ColumnSpec[] {
  return r.columns.map((key) => {
    const sample = r.rows.find((row) => row[key] !== null && row[key] !== undefined)?.[key];
    const kind = key.endsWith('_s') ? 'duration' : typeof sample === 'number' ? 'num' : 'text';
    return { key, header: key.replace(/_/g, ' ').toUpperCase(), kind, flex: kind === 'text' };
  });
}

/** Computes an analysis over the window and prints it. */
export async function runAnalysis(
  flags: AnalyzeFlags,
  deps: Deps,
  compute: (db: Kysely<Database>, filter: AnalysisFilter) => Promise<AnalysisResult>,
  opts: { qualityLine?: boolean; defaultDays?: number } = {},
): Promise<void> {
  if (flags.plot && !/\.(png|svg)$/i.test(flags.plot)) {
    throw new UsageError(`--plot: the file name must end in .png or .svg, got '${flags.plot}'`);
  }
  // loaded here, not at registration: `--help` must not pay for them
  const [{ resolveFilter }, { emitRows }] = await Promise.all([
    import('../../../analyze/window.js'),
    import('../../output/emit.js'),
  ]);
  const filter = resolveFilter(flags, deps.clock.now(), opts.defaultDays);
  const db = await deps.db();
  const result = await compute(db, filter);
  emitRows(deps.io, result.rows, {
    format: flags.format,
    columns: columnsOf(result),
    emptyNote: 'no data in this window',
  });
  if (!deps.globals.quiet) for (const n of result.notes) deps.io.writeErr(`note: ${n}\n`);
  if (opts.qualityLine !== false && !deps.globals.quiet) {
    const { qualityLine } = await import('../../../analyze/coverage.js');
    deps.io.writeErr(`${await qualityLine(db, filter)}\n`);
  }
  if (flags.plot) {
    if (!result.plot) {
      deps.io.writeErr(`no plot written: nothing to draw\n`);
      return;
    }
    const { writePlot } = await import('../../../analyze/plot.js');
    await writePlot(result.plot, flags.plot);
    if (!deps.globals.quiet) deps.io.writeErr(`plot written to ${flags.plot}\n`);
  }
}

/** Parses `--interval 1h|1d` to seconds. */
export function parseInterval(v: string | undefined): number {
  if (v === undefined || v === '1h') return 3600;
  if (v === '1d') return 86400;
  throw new UsageError(`--interval must be 1h or 1d, got '${v}'`);
}

/** Parses `--top N`. */
export function parseTop(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new UsageError(`--top must be a whole number ≥ 1, got '${v}'`);
  return Number(v);
}

/** Parses `--exact` / `--approx` into a method. */
export function methodOf(flags: {
  exact?: boolean;
  approx?: boolean;
}): 'auto' | 'exact' | 'approx' {
  if (flags.exact && flags.approx) throw new UsageError('use either --exact or --approx, not both');
  return flags.exact ? 'exact' : flags.approx ? 'approx' : 'auto';
}
