/**
 * The configuration schema (YAML, validated with zod). Unknown keys are errors, except the keys of
 * the Python pbs_monitor's config (`config --create`), which are honoured or noted: see legacy-keys.ts.
 */
import { z } from 'zod';

const seconds = z.number().int().positive();

export const pbsSchema = z
  .object({
    /** folder holding qstat / pbsnodes / pbs_rstat; else PBS_MONITOR_PBS_BIN, PATH, /opt/pbs/bin */
    bin_dir: z.string().nullable().default(null),
    /** seconds before a PBS command is killed */
    command_timeout: z.number().positive().default(30),
    /** IANA zone PBS's local-time text is read in; null = this machine's zone */
    timezone: z.string().nullable().default(null),
    /** PBS server to query (passed as `@server` where PBS accepts it); null = PBS default */
    server: z.string().nullable().default(null),
  })
  .strict();

export const databaseSchema = z
  .object({
    url: z.string().default('sqlite:///~/.pbs_monitor.db'),
    pool_size: z.number().int().positive().default(5),
    max_overflow: z.number().int().nonnegative().default(10),
    echo_sql: z.boolean().default(false),
    /** views persist what they show, as --collect does */
    auto_persist: z.boolean().default(false),
    /** PostgreSQL statement timeout, seconds */
    statement_timeout: z.number().positive().default(120),
    /** SQLite busy timeout, milliseconds */
    busy_timeout_ms: z.number().int().nonnegative().default(10_000),
  })
  .strict();

export const retrySchema = z
  .object({
    attempts: z.number().int().min(1).default(3),
    base_delay: z.number().nonnegative().default(2),
    max_delay: z.number().nonnegative().default(30),
  })
  .strict();

export const collectionSchema = z
  .object({
    daemon_enabled: z.boolean().default(true),
    job_interval: seconds.default(900),
    node_interval: seconds.default(1800),
    queue_interval: seconds.default(3600),
    snapshot_interval: seconds.default(1800),
    reservation_interval: seconds.default(1800),
    /** fraction of an interval used as random jitter */
    jitter: z.number().min(0).max(0.5).default(0.05),
    retry: retrySchema.default({}),
    /** where unparseable PBS output (and, during a database outage, pending writes) is kept */
    spool_dir: z.string().default('~/.pbs_monitor/spool'),
    spool_max_mb: z.number().positive().default(200),
    spool_max_age_days: z.number().positive().default(14),
    /** bound of `<spool_dir>/outage`: PBS captures kept while the database is unavailable */
    outage_spool_max_mb: z.number().positive().default(512),
    /** seconds a run in flight may take to finish at shutdown */
    shutdown_timeout: z.number().positive().default(30),
  })
  .strict();

export const loggingSchema = z
  .object({
    level: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'critical']))
      .default('info'),
    file: z.string().nullable().default(null),
  })
  .strict();

export const displaySchema = z
  .object({
    /** cap on table width; null = terminal width */
    max_table_width: z.number().int().positive().nullable().default(null),
    use_colors: z.boolean().default(true),
    default_job_columns: z.array(z.string()).nullable().default(null),
    default_node_columns: z.array(z.string()).nullable().default(null),
    default_queue_columns: z.array(z.string()).nullable().default(null),
    max_name_length: z.number().int().positive().nullable().default(null),
  })
  .strict();

export const retentionSchema = z
  .object({
    job_history_days: z.number().int().positive().default(365),
    snapshot_days: z.number().int().positive().default(90),
  })
  .strict();

export const daemonSchema = z
  .object({
    pid_file: z.string().default('~/.pbs_monitor_daemon.pid'),
  })
  .strict();

export const configSchema = z
  .object({
    pbs: pbsSchema.default({}),
    database: databaseSchema.default({}),
    collection: collectionSchema.default({}),
    logging: loggingSchema.default({}),
    display: displaySchema.default({}),
    retention: retentionSchema.default({}),
    daemon: daemonSchema.default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** The configuration in effect, with where it came from and the notes produced while reading it. */
export interface LoadedConfig {
  config: Config;
  /** the file read, or null when only defaults apply */
  path: string | null;
  /** one-line notes (e.g. legacy keys that have no effect here) */
  notes: string[];
}

export const defaultConfig = (): Config => configSchema.parse({});
