/**
 * `daemon status`: running or not, PID, uptime, the schedule in effect, each collector's last run
 * (from data_collection_log) and next run (from the daemon's state file), recent errors, and a
 * warning when collection lags towards the server's job_history_duration. Exit 0 when running,
 * 3 when not, so monitoring can use it.
 */
import type { Deps } from '../../../deps.js';
import { UserError } from '../../../cli/errors.js';
import { readPidFile } from '../../../daemon/pid-file.js';
import { readStateFile, stateFilePath } from '../../../daemon/state-file.js';
import { COLLECTOR_KINDS, type CollectorKind } from '../../../daemon/collect-contract.js';
import { intervalsOf } from '../../../daemon/schedule-config.js';
import { sanitizeText } from '../../output/sanitize.js';
import { formatUptime, hostOf, pidFileOf, type DaemonCommonOptions } from './common.js';
import { collectionHistory, type LastRun, type RecentError } from './status-history.js';

export interface StatusOptions extends DaemonCommonOptions {
  format?: string;
}

export interface CollectorStatus {
  kind: CollectorKind;
  intervalS: number;
  last: LastRun | null;
  /** epoch seconds, from the running daemon's state file */
  next: number | null;
  runs: number | null;
  skipped: number | null;
}

export interface DaemonStatus {
  running: boolean;
  pid: number | null;
  pidFile: string;
  /** why a PID file was not trusted */
  stale: string | null;
  startedAt: number | null;
  uptimeS: number | null;
  /** collectors running right now */
  inFlight: CollectorKind[] | null;
  config: { path: string | null; database: string; jitter: number; logFile: string | null };
  collectors: CollectorStatus[];
  /** the running daemon's outage spool (PBS captures waiting for the database) */
  outageSpool: { captures: number; bytes: number; maxBytes: number; refused: number } | null;
  recentErrors: RecentError[];
  warnings: string[];
  databaseError: string | null;
}

const iso = (s: number | null) =>
  s === null ? '-' : new Date(s * 1000).toISOString().replace('.000Z', 'Z');

export async function run(opts: StatusOptions, deps: Deps): Promise<DaemonStatus> {
  if (opts.format && opts.format !== 'json' && opts.format !== 'table')
    throw new UserError(`--format must be json or table (got ${opts.format})`, 2);
  const host = await hostOf(opts);
  const loaded = await deps.config();
  const pidFile = await pidFileOf(opts, deps);
  const pf = readPidFile(pidFile, host);
  const running = pf.state === 'running';
  const state = running ? readStateFile(stateFilePath(pidFile)) : null;
  const live = state && pf.state === 'running' && state.pid === pf.pid ? state : null;
  const now = deps.clock.now();
  const cfgIntervals = intervalsOf(loaded.config);
  const hist = await collectionHistory(deps, now);
  const status: DaemonStatus = {
    running,
    pid: pf.state === 'running' ? pf.pid : null,
    pidFile,
    stale:
      pf.state === 'stale'
        ? pf.reason
        : pf.state === 'symlink'
          ? 'the PID file is a symbolic link'
          : null,
    startedAt: live?.startedAt ?? null,
    uptimeS: live ? now - live.startedAt : null,
    inFlight: live?.inFlight ?? null,
    config: {
      path: live?.configPath ?? loaded.path,
      database: live?.database ?? hist.database,
      jitter: live?.jitter ?? loaded.config.collection.jitter,
      logFile: live?.logFile ?? loaded.config.logging.file,
    },
    collectors: COLLECTOR_KINDS.map((kind) => ({
      kind,
      intervalS: live?.intervals[kind] ?? cfgIntervals[kind],
      last: hist.last[kind] ?? null,
      next: live?.next[kind] ?? null,
      runs: live?.runs[kind] ?? null,
      skipped: live?.skipped[kind] ?? null,
    })),
    outageSpool: live?.outageSpool
      ? {
          captures: live.outageSpool.captures,
          bytes: live.outageSpool.bytes,
          maxBytes: live.outageSpool.maxBytes,
          refused: live.outageSpool.refused,
        }
      : null,
    recentErrors: hist.errors,
    warnings: hist.warnings,
    databaseError: hist.error,
  };
  if (opts.format === 'json') deps.io.write(JSON.stringify(status, null, 2) + '\n');
  else deps.io.write(render(status));
  if (!running) throw new UserError('the daemon is not running', 3);
  return status;
}

function render(s: DaemonStatus): string {
  const lines: string[] = [];
  if (s.running) {
    lines.push(
      `daemon: running (PID ${s.pid}${s.uptimeS !== null ? `, up ${formatUptime(s.uptimeS)}` : ''})`,
    );
  } else {
    lines.push(`daemon: not running${s.stale ? ` (stale PID file: ${s.stale})` : ''}`);
  }
  if (s.inFlight) lines.push(`running now: ${s.inFlight.join(', ')}`);
  lines.push(`PID file: ${s.pidFile}`);
  lines.push(`config: ${s.config.path ?? '(defaults)'}`);
  lines.push(`database: ${s.config.database}`);
  if (s.config.logFile) lines.push(`log: ${s.config.logFile}`);
  lines.push('');
  const rows = [
    ['COLLECTOR', 'EVERY', 'LAST RUN', 'STATUS', 'MS', 'SEEN', 'NEW', 'TRANS', 'NEXT RUN'],
  ];
  for (const c of s.collectors) {
    rows.push([
      c.kind,
      `${c.intervalS}s`,
      iso(c.last?.startedAt ?? null),
      c.last?.status ?? '-',
      c.last ? String(c.last.durationMs) : '-',
      c.last ? String(c.last.itemsSeen) : '-',
      c.last ? String(c.last.rowsInserted) : '-',
      c.last ? String(c.last.transitions) : '-',
      iso(c.next),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    lines.push(
      r
        .map((v, i) => v.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  const o = s.outageSpool;
  if (o && (o.captures > 0 || o.refused > 0)) {
    const mb = (b: number) => (b / 1048576).toFixed(1);
    lines.push(
      '',
      `outage spool: ${o.captures} capture${o.captures === 1 ? '' : 's'} waiting for the database (${mb(o.bytes)} of ${mb(o.maxBytes)} MB)` +
        (o.refused > 0 ? `; ${o.refused} not kept because it was full` : ''),
    );
  }
  if (s.databaseError) lines.push('', `database: ${s.databaseError}`);
  if (s.recentErrors.length > 0) {
    lines.push('', 'recent errors:');
    for (const e of s.recentErrors)
      lines.push(`  ${iso(e.startedAt)} ${e.kind} ${e.status}: ${e.error ?? ''}`);
  }
  for (const w of s.warnings) lines.push('', `warning: ${w}`);
  return sanitizeText(lines.join('\n')) + '\n';
}
