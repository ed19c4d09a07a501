/**
 * The real daemon schedule driven by an emulated cluster's clock, for the demo and tests: between
 * ticks the emulator is advanced by exactly the sleep the scheduler asked for, so a week of
 * collection (every interval, jitter, each run logged in data_collection_log) takes minutes.
 */
import type { Deps } from '../deps.js';
import type { Clock } from '../util/clock.js';
import type { CollectionResult, CollectorKind } from './collect-contract.js';
import type { RunCollectionFn } from './daemon.js';
import { createScheduler, type Intervals } from './scheduler.js';
import { intervalsOf } from './schedule-config.js';
import { outageGuardFor } from '../collect/outage/guard-from-config.js';

export interface EmulatedRunOptions {
  clusterDir: string;
  days: number;
  deps: Deps;
  /** override the configured intervals (seconds) */
  intervals?: Intervals;
  /** the collection engine (default src/collect/run.ts) */
  runCollection?: RunCollectionFn;
  /**
   * how PBS is asked: 'in-process' (default; the emulator answers in this process, fast) or
   * 'commands' (its qstat/pbsnodes scripts through the real runner, as the daemon does)
   */
  pbs?: 'in-process' | 'commands';
  /** called after each run (progress; tests inject faults here, awaited before the next tick) */
  onRun?(results: CollectionResult[], emulatedNow: number): void | Promise<void>;
}

export interface KindSummary {
  runs: number;
  ok: number;
  partial: number;
  failed: number;
  itemsSeen: number;
  rowsInserted: number;
  transitions: number;
  skipped: number;
}

export interface EmulatedRunSummary {
  /** emulated epoch seconds */
  from: number;
  to: number;
  runs: number;
  kinds: Partial<Record<CollectorKind, KindSummary>>;
  /** real time taken */
  wallMs: number;
}

/** A Clock whose time is the emulator's: sleeping advances the cluster. */
export function emulatorClock(
  dir: string,
  emu: { now(dir: string): number; advance(dir: string, seconds: number): number },
): Clock {
  let ms = emu.now(dir) * 1000;
  return {
    nowMs: () => ms,
    now: () => Math.floor(ms / 1000),
    async sleep(wantMs: number) {
      const target = ms + Math.max(0, wantMs);
      const whole = Math.floor(target / 1000) - Math.floor(ms / 1000);
      if (whole > 0) emu.advance(dir, whole);
      ms = target;
    },
  };
}

/** Runs the daemon's schedule over `days` of emulated time on the cluster in `clusterDir`. */
export async function runDaemonOverEmulatedTime(
  opts: EmulatedRunOptions,
): Promise<EmulatedRunSummary> {
  const { deps } = opts;
  const emu = await import('../emulator/api.js');
  const loaded = await deps.config();
  const config = {
    ...loaded.config,
    pbs: { ...loaded.config.pbs, bin_dir: emu.binDir(opts.clusterDir) },
  };
  const logger = await deps.logger();
  const handle = await deps.dbHandle();
  const { createPbsClient } = await import('../pbs/client.js');
  const runner =
    opts.pbs === 'commands'
      ? undefined
      : (await import('./emulator-runner.js')).emulatorRunner(
          opts.clusterDir,
          emu.runPbsCommand,
          deps.env,
        );
  const pbs = createPbsClient({ config, env: deps.env, logger, signal: deps.signal, runner });
  const run = opts.runCollection ?? (await import('../collect/run.js')).runCollection;
  const clock = emulatorClock(opts.clusterDir, emu);
  // as the daemon: a database outage is bridged by the outage spool
  const guard = outageGuardFor(config, deps.home, run);
  const from = clock.now();
  const t0 = performance.now();
  const kinds: Partial<Record<CollectorKind, KindSummary>> = {};
  const scheduler = createScheduler({
    clock,
    intervals: opts.intervals ?? intervalsOf(config),
    jitter: config.collection.jitter,
    until: (from + Math.round(opts.days * 86400)) * 1000,
    signal: deps.signal,
    shutdownTimeoutMs: config.collection.shutdown_timeout * 1000,
    run: (ks, signal) => guard.tick({ db: handle.db, pbs, clock, logger, config, signal }, ks),
    onRun: (results) => {
      for (const r of results) {
        const k = (kinds[r.kind] ??= {
          runs: 0,
          ok: 0,
          partial: 0,
          failed: 0,
          itemsSeen: 0,
          rowsInserted: 0,
          transitions: 0,
          skipped: 0,
        });
        k.runs += 1;
        k[r.status] += 1;
        k.itemsSeen += r.itemsSeen;
        k.rowsInserted += r.rowsInserted;
        k.transitions += r.transitions;
        logger.info(
          {
            kind: r.kind,
            status: r.status,
            seen: r.itemsSeen,
            new: r.rowsInserted,
            transitions: r.transitions,
            ms: r.durationMs,
          },
          'collection run',
        );
      }
      return opts.onRun?.(results, clock.now());
    },
  });
  const final = await scheduler.run();
  for (const [k, s] of Object.entries(final.kinds)) {
    const sum = kinds[k as CollectorKind];
    if (sum && s) sum.skipped = s.skipped;
  }
  return {
    from,
    to: clock.now(),
    runs: final.runs,
    kinds,
    wallMs: Math.round(performance.now() - t0),
  };
}
