/** The commented sample configuration that `config create` writes (every key at its default). */
export const SAMPLE_CONFIG = `# pbs-monitor configuration (YAML). Every key is optional; shown here at its default.
# Searched in: -c/--config, $PBS_MONITOR_CONFIG, ~/.pbs_monitor.yaml,
# ~/.config/pbs_monitor/config.yaml, /etc/pbs_monitor/config.yaml, ./pbs_monitor.yaml
# A configuration written for the Python pbs_monitor is accepted as well.

pbs:
  # folder holding qstat, pbsnodes, pbs_rstat, qselect (else $PBS_MONITOR_PBS_BIN, PATH, /opt/pbs/bin)
  bin_dir: null
  # seconds before a PBS command is killed
  command_timeout: 30
  # IANA zone PBS prints local times in (e.g. America/Chicago); null = this machine's zone
  timezone: null
  # PBS server to query; null = PBS's default server
  server: null

database:
  # sqlite:///~/.pbs_monitor.db or postgresql://user:password@host:5432/dbname
  # ($PBS_MONITOR_DB_URL overrides it; keep this file mode 0600 if the URL holds a password)
  url: sqlite:///~/.pbs_monitor.db
  pool_size: 5
  max_overflow: 10
  echo_sql: false
  # store what every live view shows, as --collect does
  auto_persist: false
  # PostgreSQL statement timeout, seconds
  statement_timeout: 120
  # SQLite busy timeout, milliseconds
  busy_timeout_ms: 10000

collection:
  daemon_enabled: true
  # seconds between collections
  job_interval: 900
  node_interval: 1800
  queue_interval: 3600
  snapshot_interval: 1800
  reservation_interval: 1800
  # fraction of an interval used as random jitter
  jitter: 0.05
  retry:
    attempts: 3
    base_delay: 2
    max_delay: 30
  # unreadable PBS output (and writes pending during a database outage) is kept here
  spool_dir: ~/.pbs_monitor/spool
  spool_max_mb: 200
  spool_max_age_days: 14
  # bound of <spool_dir>/outage: PBS captures kept while the database is unavailable
  outage_spool_max_mb: 512
  # seconds a run in flight may take to finish at shutdown
  shutdown_timeout: 30

logging:
  # trace, debug, info, warn, error, fatal
  level: info
  # append JSON log lines to this file; null = readable lines on stderr
  file: null

display:
  # cap on table width; null = the terminal's width
  max_table_width: null
  use_colors: true
  # default columns, e.g. [job_id, name, owner, state, walltime_requested_s]
  default_job_columns: null
  default_node_columns: null
  default_queue_columns: null
  # cut job names longer than this in tables; null = no limit
  max_name_length: null

retention:
  job_history_days: 365
  snapshot_days: 90

daemon:
  pid_file: ~/.pbs_monitor_daemon.pid
`;
