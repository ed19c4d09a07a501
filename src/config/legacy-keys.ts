/**
 * Keys of the Python pbs_monitor's configuration (what its `config --create` writes). A config
 * written for it must keep working here: each key is either mapped to ours or accepted with a
 * note that it has no effect. Only keys neither tool knows are errors.
 */
import { dirname } from 'node:path';

type Raw = Record<string, unknown>;

/** legacy path → our path (both `section.key`) */
export const LEGACY_MAPPED: Record<string, string> = {
  'database.job_collection_interval': 'collection.job_interval',
  'database.node_collection_interval': 'collection.node_interval',
  'database.queue_collection_interval': 'collection.queue_interval',
  'database.snapshot_interval': 'collection.snapshot_interval',
  'database.daemon_enabled': 'collection.daemon_enabled',
  'database.job_history_days': 'retention.job_history_days',
  'database.snapshot_retention_days': 'retention.snapshot_days',
  'logging.log_file': 'logging.file',
};

/** legacy keys accepted without effect, by section */
export const LEGACY_IGNORED: Record<string, string[]> = {
  pbs: [
    'default_queue',
    'job_refresh_interval',
    'node_refresh_interval',
    'queue_refresh_interval',
    'server_refresh_interval',
    'qsub_path',
    'qdel_path',
    'qhold_path',
    'qrls_path',
  ],
  display: [
    'auto_width',
    'min_column_width',
    'max_column_width',
    'truncate_long_names',
    'expand_columns',
    'word_wrap',
    'time_format',
  ],
  logging: ['log_format', 'date_format'],
  database: [
    'schema',
    'auto_persist_interval',
    'batch_size',
    'orphaned_job_detection',
    'orphaned_job_threshold_minutes',
    'missing_reservation_detection',
    'missing_reservation_threshold_minutes',
    'history_reconciliation_enabled',
    'history_reconciliation_interval_seconds',
    'history_reconciliation_batch_size',
    'history_reconciliation_shutdown_timeout_seconds',
  ],
};

/** whole legacy sections accepted without effect */
export const LEGACY_SECTIONS = ['slack'];

/** Binaries whose directory becomes pbs.bin_dir. */
const PATH_KEYS = ['qstat_path', 'pbsnodes_path'];

export interface LegacyResult {
  /** the config with legacy keys mapped or removed */
  raw: Raw;
  notes: string[];
  /** our key path → the legacy key path it came from, for error messages */
  origin: Record<string, string>;
}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const noEffect = (path: string) =>
  `${path}: a setting of the Python pbs_monitor; it has no effect in pbs-monitor`;

/** Maps or removes the Python tool's keys; our own keys win when both are set. */
export function translateLegacy(input: Raw): LegacyResult {
  const raw: Raw = {};
  for (const [k, v] of Object.entries(input)) raw[k] = isObject(v) ? { ...v } : v;
  const notes: string[] = [];
  const origin: Record<string, string> = {};

  for (const section of LEGACY_SECTIONS) {
    if (section in raw) {
      delete raw[section];
      notes.push(noEffect(section));
    }
  }
  for (const [section, keys] of Object.entries(LEGACY_IGNORED)) {
    const sec = raw[section];
    if (!isObject(sec)) continue;
    for (const key of keys) {
      if (key in sec) {
        delete sec[key];
        notes.push(noEffect(`${section}.${key}`));
      }
    }
  }
  for (const [from, to] of Object.entries(LEGACY_MAPPED)) {
    const [fs, fk] = from.split('.') as [string, string];
    const [ts, tk] = to.split('.') as [string, string];
    const sec = raw[fs];
    if (!isObject(sec) || !(fk in sec)) continue;
    const value = sec[fk];
    delete sec[fk];
    const target = raw[ts] === undefined ? (raw[ts] = {}) : raw[ts];
    if (!isObject(target)) continue; // the schema reports the bad section
    if (tk in target) {
      notes.push(`${from}: ignored, ${to} is set`);
    } else {
      target[tk] = value;
      origin[to] = from;
    }
  }
  const pbs = raw.pbs;
  if (isObject(pbs)) {
    for (const key of PATH_KEYS) {
      if (!(key in pbs)) continue;
      const value = pbs[key];
      delete pbs[key];
      if (typeof value === 'string' && value.includes('/')) {
        if (pbs.bin_dir === undefined || pbs.bin_dir === null) {
          pbs.bin_dir = dirname(value);
          origin['pbs.bin_dir'] = `pbs.${key}`;
          notes.push(`pbs.${key}: read as pbs.bin_dir = ${dirname(value)}`);
        } else if (origin['pbs.bin_dir'] === undefined || pbs.bin_dir !== dirname(value)) {
          notes.push(`pbs.${key}: ignored, pbs.bin_dir is set`);
        }
      } else {
        notes.push(
          `pbs.${key}: not a path, so PBS binaries are searched as usual (it has no other effect)`,
        );
      }
    }
  }
  return { raw, notes, origin };
}
