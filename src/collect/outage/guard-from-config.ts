/** The daemon's outage guard, from the config: `<spool_dir>/outage` bounded by `outage_spool_max_mb`. */
import type { Config } from '../../config/schema.js';
import { outageDir } from './capture-file.js';
import { createOutageGuard, type OutageGuard } from './outage-guard.js';
import type { RunCollectionFn } from './replay.js';

/** Builds the guard the daemon wraps each tick in. */
export function outageGuardFor(config: Config, home: string, run: RunCollectionFn): OutageGuard {
  return createOutageGuard({
    run,
    dir: outageDir(config.collection.spool_dir, home),
    maxBytes: Math.round(config.collection.outage_spool_max_mb * 1024 * 1024),
  });
}
