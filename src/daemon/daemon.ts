/**
 * The daemon's life: check it may start, open the database, take the PID file and the collector
 * lock, report readiness, run the schedule until SIGTERM/SIGINT, then finish (or roll back) the
 * run in flight and release everything in reverse order. SIGHUP re-reads the config (new
 * intervals take effect) and reopens the log file.
 */
import type { Deps } from '../deps.js';
import type { Config } from '../config/schema.js';
import { UserError } from '../cli/errors.js';
import type { DaemonHost } from './host.js';
import { createScheduler, type SchedulerEvent, type ScheduleState } from './scheduler.js';
import { acquirePidFile, releasePidFile } from './pid-file.js';
import { acquireCollectorLock, type CollectorLock } from './collector-lock.js';
import { createDaemonLogger, type DaemonLogger } from './daemon-logger.js';
import { intervalsOf, sameIntervals } from './schedule-config.js';
import type { RunCollectionFn } from '../collect/outage/replay.js';
import { outageGuardFor } from '../collect/outage/guard-from-config.js';
import {
  removeStateFile,
  scheduleFields,
  stateFilePath,
  writeStateFile,
  type DaemonStateFile,
} from './state-file.js';

export type { RunCollectionFn } from '../collect/outage/replay.js';

export interface RunDaemonOptions {
  deps: Deps;
  host: DaemonHost;
  pidFile: string;
  /** JSON log lines here; null = readable lines on stderr */
  logFile: string | null;
  /** the collection engine (tests inject a fake); default src/collect/run.ts */
  runCollection?: RunCollectionFn;
  /** re-read the config on SIGHUP (default: the loader with the same options) */
  reloadConfig?: () => Promise<{ config: Config; path: string | null }>;
  /** called once the daemon is ready (PID file, lock, database, first schedule) */
  onReady?(info: { pid: number; pidFile: string; logFile: string | null }): void;
}

/** Refuses to start when the config disables the daemon. */
export function assertDaemonEnabled(config: Config, path: string | null): void {
  if (!config.collection.daemon_enabled) {
    throw new UserError(
      `the daemon is disabled by collection.daemon_enabled: false${path ? ` in ${path}` : ''}; set it to true to run the daemon`,
    );
  }
}

/** The name the collector lock is taken for: the configured PBS server, else 'default'. */
export const lockServerName = (config: Config) => config.pbs.server ?? 'default';

/** Runs the daemon until stopped; resolves with the exit code (0 after a graceful stop). */
export async function runDaemon(opts: RunDaemonOptions): Promise<number> {
  const { deps, host } = opts;
  const loaded = await deps.config();
  let config = loaded.config;
  assertDaemonEnabled(config, loaded.path);
  const level = deps.globals.verbose ? 'debug' : config.logging.level;
  const log: DaemonLogger = createDaemonLogger({
    level,
    file: opts.logFile,
    stderr: deps.io.err,
    pid: host.pid,
  });
  const logger = log.logger;
  const releases: Array<[string, () => Promise<void> | void]> = [];
  const releaseAll = async () => {
    for (const [what, fn] of releases.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.error({ err: String(err) }, `could not release ${what}`);
      }
    }
    releases.length = 0;
  };
  const stop = new AbortController();
  let signals = 0;
  const offs: Array<() => void> = [];
  try {
    const handle = await deps.dbHandle();
    const startedAt = deps.clock.now();
    const pid = acquirePidFile(opts.pidFile, host);
    if (pid.cleaned)
      logger.warn({ pidFile: opts.pidFile, reason: pid.cleaned }, 'removed a stale PID file');
    releases.push(['the PID file', () => void releasePidFile(opts.pidFile, host.pid)]);
    // released in reverse: state file, lock (PostgreSQL needs the database for it), database, PID file
    releases.push(['the database', () => handle.close()]);
    const lock: CollectorLock = await acquireCollectorLock(
      handle,
      lockServerName(config),
      {
        pid: host.pid,
        host: host.hostname,
        startedAt,
      },
      host,
      (err) =>
        logger.warn(
          { err: err.message },
          'the PostgreSQL session holding the collector lock was lost: re-taking it before the next run',
        ),
    );
    releases.push(['the collector lock', () => lock.release()]);
    const statePath = stateFilePath(opts.pidFile);
    releases.push(['the state file', () => removeStateFile(statePath, host.pid)]);

    let lockTaken = false;
    const run = opts.runCollection ?? (await import('../collect/run.js')).runCollection;
    const pbs = await deps.pbs();
    // while the database is away, PBS state goes to the outage spool and is replayed on return
    const guard = outageGuardFor(config, deps.home, run);
    let reloadedAt: number | null = null;
    let reloads = 0;
    let reloadAttempts = 0;
    let reloadError: string | null = null;
    const baseState = (): Omit<DaemonStateFile, keyof ReturnType<typeof scheduleFields>> => ({
      pid: host.pid,
      host: host.hostname,
      startedAt,
      updatedAt: deps.clock.now(),
      reloadedAt,
      reloads,
      reloadAttempts,
      reloadError,
      configPath: loaded.path,
      database: handle.maskedUrl,
      logFile: opts.logFile,
      lock: lock.where,
      jitter: config.collection.jitter,
      outageSpool: guard.status(),
    });
    const saveState = (s: ScheduleState) => {
      try {
        writeStateFile(statePath, { ...baseState(), ...scheduleFields(s) });
      } catch (err) {
        logger.warn({ err: String(err), statePath }, 'could not write the state file');
      }
    };
    const onEvent = (e: SchedulerEvent) => {
      if (e.type === 'jump')
        logger.warn(
          { driftS: Math.round((e.value ?? 0) / 1000) },
          'wall clock jumped (suspend or clock change): schedule re-planned, no catch-up burst',
        );
      else if (e.type === 'skip')
        logger.warn({ kind: e.kind, skipped: e.value }, 'run was late: skipped ticks');
      else if (e.type === 'shutdown-timeout')
        logger.warn(
          { timeoutS: config.collection.shutdown_timeout },
          'run in flight outlasted the shutdown timeout: aborting it (its transaction rolls back)',
        );
      else if (e.type === 'abandoned')
        logger.error('run in flight did not stop after its abort: leaving it');
    };
    const scheduler = createScheduler({
      clock: deps.clock,
      intervals: intervalsOf(config),
      jitter: config.collection.jitter,
      signal: stop.signal,
      shutdownTimeoutMs: config.collection.shutdown_timeout * 1000,
      monotonicMs: () => host.monotonicMs(),
      onEvent,
      run: async (kinds, signal) => {
        try {
          await lock.check();
        } catch (err) {
          // another collector took the lock while ours was lost: two must never collect at once
          logger.error({ err: (err as Error).message }, 'collector lock lost to another: stopping');
          lockTaken = true;
          stop.abort();
          return [];
        }
        return guard.tick(
          {
            db: handle.db,
            pbs,
            clock: deps.clock,
            logger,
            config,
            signal,
            spoolDir: config.collection.spool_dir,
          },
          kinds,
        );
      },
      onRunStart: (s) => saveState(s),
      onRun: (results, s) => {
        for (const r of results) {
          const line = {
            kind: r.kind,
            status: r.status,
            seen: r.itemsSeen,
            new: r.rowsInserted,
            updated: r.rowsUpdated,
            transitions: r.transitions,
            ms: r.durationMs,
          };
          if (r.status === 'ok') logger.info(line, 'collection run');
          else logger.warn({ ...line, error: r.error }, 'collection run');
        }
        saveState(s);
      },
    });

    const reload = async () => {
      // reopen first: log rotation must work even when the new config is broken
      log.reopen();
      try {
        const { loadConfig } = await import('../config/load.js');
        const next = opts.reloadConfig
          ? await opts.reloadConfig()
          : await loadConfig({
              explicitPath: deps.globals.configPath,
              env: deps.env,
              home: deps.home,
              cwd: deps.cwd,
            });
        const before = intervalsOf(config);
        if (next.config.database.url !== config.database.url)
          logger.warn('database.url changed: restart the daemon to use the new database');
        config = { ...next.config, database: config.database };
        log.setLevel(deps.globals.verbose ? 'debug' : config.logging.level);
        const after = intervalsOf(config);
        scheduler.setIntervals(after, config.collection.jitter);
        reloadedAt = deps.clock.now();
        reloads += 1;
        reloadAttempts += 1;
        reloadError = null;
        saveState(scheduler.state());
        logger.info(
          { intervals: after, changed: !sameIntervals(before, after) },
          'configuration reloaded, log file reopened',
        );
      } catch (err) {
        reloadAttempts += 1;
        reloadError = err instanceof Error ? err.message : String(err);
        saveState(scheduler.state());
        logger.error({ err: reloadError }, 'reload failed: keeping the configuration in effect');
      }
    };
    const onStop = (sig: string) => () => {
      signals += 1;
      if (signals > 1) {
        // the log destination is synchronous: nothing to flush before leaving
        logger.error({ signal: sig }, 'second stop signal: exiting at once');
        host.exit(1);
      }
      logger.info({ signal: sig }, 'stopping: no new runs; waiting for the run in flight');
      stop.abort();
    };
    offs.push(host.onSignal('SIGTERM', onStop('SIGTERM')));
    offs.push(host.onSignal('SIGINT', onStop('SIGINT')));
    offs.push(host.onSignal('SIGHUP', () => void reload()));

    saveState(scheduler.state());
    logger.info(
      {
        pid: host.pid,
        pidFile: opts.pidFile,
        database: handle.maskedUrl,
        lock: lock.where,
        intervals: intervalsOf(config),
        jitter: config.collection.jitter,
      },
      'daemon started',
    );
    opts.onReady?.({ pid: host.pid, pidFile: opts.pidFile, logFile: opts.logFile });

    const final = await scheduler.run();
    await releaseAll();
    logger.info({ runs: final.runs }, 'daemon stopped');
    return lockTaken ? 1 : 0;
  } catch (err) {
    // on record in the log too: a detached or systemd daemon's stderr may go unread
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'daemon failed');
    throw err;
  } finally {
    for (const off of offs) off();
    await releaseAll();
    log.close();
  }
}
