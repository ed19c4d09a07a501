/** `database validate [--format json]`: exit 1 naming each problem with counts and examples. */
import type { Deps } from '../../../deps.js';
import { UserError } from '../../errors.js';
import { validateDatabase } from '../../../store/maintenance/validate.js';
import { renderJson } from '../../output/json.js';
import { formatDuration, isoUtc } from '../../output/format-values.js';
import { whereIs } from './where.js';

export interface ValidateOptions {
  format?: 'text' | 'json';
}

/** Checks the database; prints the problems and coverage gaps, and fails when there is a problem. */
export async function run(opts: ValidateOptions, deps: Deps): Promise<void> {
  const h = await deps.dbHandle({ requireCurrentSchema: false });
  const { config } = await deps.config();
  const report = await validateDatabase(h.db, config);
  if (opts.format === 'json') {
    deps.io.write(
      renderJson({
        ok: report.problems.length === 0,
        checks: report.checks,
        problems: report.problems,
        uncovered_windows: report.uncovered.map((u) => ({
          server: u.server,
          from: isoUtc(u.from),
          to: isoUtc(u.to),
          history_duration_s: u.historyDurationS,
        })),
      }),
    );
  } else {
    for (const p of report.problems) {
      deps.io.write(`problem: ${p.check}: ${p.count}\n`);
      for (const e of p.examples) deps.io.write(`  e.g. ${e}\n`);
    }
    for (const u of report.uncovered) {
      deps.io.write(
        `uncovered: ${u.server}: no job collection from ${isoUtc(u.from)} to ${isoUtc(u.to)}` +
          ` (${formatDuration(u.to - u.from)}, longer than PBS keeps finished jobs: ${formatDuration(u.historyDurationS)}); jobs that finished then may be missing\n`,
      );
    }
    if (report.problems.length === 0) {
      deps.io.write(`ok: ${whereIs(h)} passed ${report.checks.length} checks\n`);
    }
  }
  if (report.problems.length > 0) {
    throw new UserError(
      `${whereIs(h)} failed validation: ${report.problems.map((p) => `${p.check} (${p.count})`).join('; ')}`,
    );
  }
}
