/** `collect`: one collection run without display; a one-line summary per collector on stdout. */
import type { Deps } from '../../../deps.js';
import { ExitCode, UserError } from '../../errors.js';
import {
  COLLECTOR_KINDS,
  runCollection,
  type CollectionResult,
  type CollectorKind,
} from '../../../collect/run.js';

export interface CollectOptions {
  jobs?: boolean;
  nodes?: boolean;
  queues?: boolean;
  reservations?: boolean;
  system?: boolean;
  all?: boolean;
}

/** The collectors the flags ask for (none or --all: every one). */
export function kindsOf(opts: CollectOptions): CollectorKind[] {
  if (opts.all) return [...COLLECTOR_KINDS];
  const picked = COLLECTOR_KINDS.filter((k) => opts[k]);
  return picked.length > 0 ? picked : [...COLLECTOR_KINDS];
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `jobs: ok 1234 seen, 12 new, 30 transitions, 0 repairs, 0.8 s` */
export function summaryLine(r: CollectionResult): string {
  if (r.status === 'failed')
    return `${r.kind}: failed after ${secs(r.durationMs)}: ${r.error ?? 'unknown error'}`;
  const parts = [`${r.itemsSeen} seen`];
  if (r.kind === 'jobs') {
    parts.push(`${r.rowsInserted - r.transitions} new`, `${r.transitions} transitions`);
  } else if (r.kind === 'nodes') {
    parts.push(`${r.rowsInserted - r.transitions} snapshot rows`, `${r.transitions} state changes`);
  } else if (r.kind === 'reservations') {
    parts.push(`${r.transitions} state changes`);
  } else {
    parts.push(`${r.rowsInserted} rows`);
  }
  parts.push(`${r.repairs} repairs`, secs(r.durationMs));
  return `${r.kind}: ${r.status} ${parts.join(', ')}`;
}

/** Runs the collectors; exit 1 when one failed, 3 when PBS was unreachable for all. */
export async function run(opts: CollectOptions, deps: Deps): Promise<void> {
  const { config } = await deps.config();
  const db = await deps.db();
  const pbs = await deps.pbs();
  const logger = await deps.logger();
  const results = await runCollection(
    { db, pbs, clock: deps.clock, logger, config, signal: deps.signal },
    kindsOf(opts),
  );
  for (const r of results) deps.io.write(`${summaryLine(r)}\n`);
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length === 0) return;
  if (failed.length === results.length && results.every((r) => r.pbsUnavailable))
    throw new UserError(`PBS is unreachable: ${failed[0]!.error ?? ''}`, ExitCode.pbsUnavailable);
  throw new UserError(
    `${failed.length} of ${results.length} collectors failed (${failed.map((r) => r.kind).join(', ')})`,
    ExitCode.failure,
  );
}
