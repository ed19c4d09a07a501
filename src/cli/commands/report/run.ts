/** `report --out FILE.html`: one self-contained HTML report for a period. */
import { writeFile } from 'node:fs/promises';
import type { Deps } from '../../../deps.js';
import { resolveFilter, type FilterFlags } from '../../../analyze/window.js';
import { UsageError } from '../../errors.js';

export interface ReportFlags extends FilterFlags {
  out?: string;
  title?: string;
}

export async function run(flags: ReportFlags, deps: Deps): Promise<void> {
  if (!flags.out || !/\.html?$/i.test(flags.out))
    throw new UsageError('report needs --out FILE.html');
  const filter = resolveFilter(flags, deps.clock.now());
  const db = await deps.db();
  const { buildReport } = await import('../../../analyze/report-html.js');
  const html = await buildReport(db, filter, deps.clock.now(), flags.title);
  await writeFile(flags.out, html);
  if (!deps.globals.quiet) deps.io.writeErr(`report written to ${flags.out}\n`);
}
