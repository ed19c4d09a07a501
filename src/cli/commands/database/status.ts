/** `database status [--format json]`: where, which schema, rows per table, size on disk, page size. */
import type { Deps } from '../../../deps.js';
import { schemaStatus } from '../../../store/migrate.js';
import { databaseSize, sqlitePageSize, tableCounts } from '../../../store/maintenance/stats.js';
import { SQLITE_PAGE_SIZE } from '../../../store/db.js';
import { renderJson } from '../../output/json.js';
import { formatSize } from '../../output/format-values.js';

export interface StatusOptions {
  format?: 'text' | 'json';
}

/** Prints the database's location, schema state, row counts and size. */
export async function run(opts: StatusOptions, deps: Deps): Promise<void> {
  const h = await deps.dbHandle({ requireCurrentSchema: false });
  const s = await schemaStatus(h.db);
  const tables = await tableCounts(h.db);
  const size = await databaseSize(h.db, h.dialect, h.sqlitePath);
  const pageSize = await sqlitePageSize(h.db, h.dialect);
  if (opts.format === 'json') {
    deps.io.write(
      renderJson({
        url: h.maskedUrl,
        dialect: h.dialect,
        path: h.sqlitePath,
        schema_version: s.version,
        schema_state: s.state,
        applied_migrations: s.applied,
        pending_migrations: s.pending,
        unknown_migrations: s.unknown,
        size_bytes: size,
        page_size: pageSize,
        tables,
      }),
    );
    return;
  }
  const state =
    s.state === 'empty'
      ? 'none (run `pbs-monitor database init`)'
      : s.state === 'older'
        ? `${s.version ?? 'none'} (older: run \`pbs-monitor database migrate\`)`
        : s.state === 'newer'
          ? `${s.version} (newer than this pbs-monitor: upgrade it)`
          : `${s.version} (current)`;
  const lines = [
    `database  ${h.maskedUrl}`,
    `dialect   ${h.dialect}`,
    ...(h.sqlitePath ? [`file      ${h.sqlitePath}`] : []),
    `schema    ${state}`,
    `pending   ${s.pending.length === 0 ? 'none' : s.pending.join(', ')}`,
    `size      ${size === null ? 'unknown' : formatSize(size)}`,
  ];
  if (pageSize !== null) {
    const older =
      pageSize < SQLITE_PAGE_SIZE
        ? ` (\`pbs-monitor database vacuum\` moves it to ${SQLITE_PAGE_SIZE / 1024} KB pages: faster job writes)`
        : '';
    lines.push(`pages     ${pageSize / 1024} KB${older}`);
  }
  const names = Object.keys(tables);
  if (names.length > 0) {
    lines.push('rows');
    const w = Math.max(...names.map((n) => n.length));
    for (const [name, n] of Object.entries(tables))
      lines.push(`  ${name.padEnd(w)}  ${String(n).padStart(10)}`);
  }
  deps.io.write(lines.join('\n') + '\n');
}
