/**
 * `report`: one self-contained HTML file for a period — the main analyses as tables with their
 * charts inlined as SVG (no scripts, no external assets), plus the data-quality summary.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AnalysisResult } from './result.js';
import { describeWindow, type AnalysisFilter } from './window.js';
import { usage } from './usage.js';
import { waitTimes } from './wait-times.js';
import { efficiency } from './efficiency.js';
import { throughput } from './throughput.js';
import { utilization } from './utilization.js';
import { nodeDowntime } from './node-downtime.js';
import { qualityReport } from './quality.js';
import { qualityLine } from './coverage.js';
import { renderSvg } from './plot.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function tableHtml(r: AnalysisResult, maxRows = 40): string {
  const head = r.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = r.rows
    .slice(0, maxRows)
    .map(
      (row) =>
        `<tr>${r.columns.map((c) => `<td${typeof row[c] === 'number' ? ' class="n"' : ''}>${esc(row[c])}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const more =
    r.rows.length > maxRows
      ? `<p class="note">${r.rows.length - maxRows} more rows not shown (use analyze … --format csv)</p>`
      : '';
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

/** Builds the HTML report for the window. */
export async function buildReport(
  db: Kysely<Database>,
  f: AnalysisFilter,
  now: number,
  title = 'PBS cluster report',
): Promise<string> {
  const days = (f.to - f.from) / 86400;
  const sections: AnalysisResult[] = [
    await usage(db, { filter: f, by: 'user', top: 15 }),
    await usage(db, { filter: f, by: 'project', top: 15 }),
    await waitTimes(db, { filter: f, basis: 'eligible', by: 'queue' }),
    await efficiency(db, { filter: f, by: 'queue' }),
    await throughput(db, { filter: f, by: 'day' }),
    await utilization(db, { filter: f, interval: days > 14 ? 86400 : 3600, by: 'time' }),
    await nodeDowntime(db, { filter: f, top: 15 }),
    await qualityReport(db, f, now),
  ];
  const parts: string[] = [];
  for (const s of sections) {
    const svg = s.plot && s.rows.length ? await renderSvg(s.plot) : '';
    parts.push(
      `<section><h2>${esc(s.title)}</h2>${svg ? `<div class="chart">${svg}</div>` : ''}${tableHtml(s)}${s.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('')}</section>`,
    );
  }
  const quality = await qualityLine(db, f);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{margin-bottom:0}.sub{color:#555;margin-top:.3em}
section{margin:2.5em 0;border-top:1px solid #ddd}
table{border-collapse:collapse;font-size:13px;margin:.8em 0}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#666;font-size:12px;margin:.2em 0}.chart svg{max-width:100%;height:auto}
.quality{background:#fff8e1;border:1px solid #f0d98c;padding:.6em 1em}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="sub">${esc(describeWindow(f))}${f.server ? ` · server ${esc(f.server)}` : ''} · generated ${esc(new Date(now * 1000).toISOString().slice(0, 16).replace('T', ' '))} UTC</p>
<p class="quality">${esc(quality)}</p>
${parts.join('\n')}
</body></html>
`;
}
