/**
 * The dependency bundle handed to every command: IO, clock, environment, and lazy factories for
 * config, logger, database and PBS client. Nothing is opened until a command asks for it.
 */
import type { Kysely } from 'kysely';
import type { IO } from './cli/io.js';
import type { Clock } from './util/clock.js';
import type { LoadedConfig } from './config/schema.js';
import type { Logger } from './util/logger.js';
import type { Database } from './store/schema.js';
import type { DatabaseHandle } from './store/db.js';
import type { PbsClient } from './pbs/client-types.js';

export interface GlobalOptions {
  verbose: boolean;
  quiet: boolean;
  logFile?: string;
  configPath?: string;
}

export interface Deps {
  io: IO;
  clock: Clock;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  globals: GlobalOptions;
  /** the node binary running pbs-monitor, for commands that start pbs-monitor again */
  execPath: string;
  /** aborted on SIGINT / SIGTERM */
  signal: AbortSignal;
  config(): Promise<LoadedConfig>;
  logger(): Promise<Logger>;
  /** the history database, schema checked as current */
  db(): Promise<Kysely<Database>>;
  /** the database handle (dialect, masked URL, close) */
  dbHandle(opts?: { requireCurrentSchema?: boolean; create?: boolean }): Promise<DatabaseHandle>;
  pbs(): Promise<PbsClient>;
  /** close whatever was opened, in reverse order */
  close(): Promise<void>;
}

export interface DepsInit {
  io: IO;
  clock: Clock;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  globals: GlobalOptions;
  signal?: AbortSignal;
  /** the node binary (default: `node` on PATH) */
  execPath?: string;
  /** overrides for tests */
  pbsClient?: PbsClient;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
}

export function createDeps(init: DepsInit): Deps {
  const closers: Array<() => Promise<void>> = [];
  const config = once(async () => {
    const { loadConfig } = await import('./config/load.js');
    return loadConfig({
      explicitPath: init.globals.configPath,
      env: init.env,
      home: init.home,
      cwd: init.cwd,
    });
  });
  const logger = once(async () => {
    const { createLogger } = await import('./util/logger.js');
    const { config: c } = await config();
    const level = init.globals.verbose ? 'debug' : init.globals.quiet ? 'error' : c.logging.level;
    return createLogger({
      level,
      file: init.globals.logFile ?? c.logging.file,
      stderr: init.io.err,
    });
  });
  const handles = new Map<string, Promise<DatabaseHandle>>();
  const dbHandle = (opts: { requireCurrentSchema?: boolean; create?: boolean } = {}) => {
    const key = JSON.stringify(opts);
    let h = handles.get(key);
    if (!h) {
      h = (async () => {
        const { openDatabase } = await import('./store/db.js');
        const loaded = await config();
        const handle = await openDatabase({
          url: loaded.config.database.url,
          config: loaded.config,
          logger: await logger(),
          home: init.home,
          requireCurrentSchema: opts.requireCurrentSchema ?? true,
          create: opts.create ?? false,
        });
        closers.push(() => handle.close());
        return handle;
      })();
      handles.set(key, h);
    }
    return h;
  };
  const pbs = once(async () => {
    if (init.pbsClient) return init.pbsClient;
    const { createPbsClient } = await import('./pbs/client.js');
    const loaded = await config();
    return createPbsClient({
      config: loaded.config,
      env: init.env,
      logger: await logger(),
      signal: init.signal,
    });
  });
  return {
    io: init.io,
    clock: init.clock,
    env: init.env,
    cwd: init.cwd,
    home: init.home,
    globals: init.globals,
    execPath: init.execPath ?? 'node',
    signal: init.signal ?? new AbortController().signal,
    config,
    logger,
    dbHandle,
    db: async () => (await dbHandle()).db,
    pbs,
    close: async () => {
      for (const c of closers.reverse()) await c().catch(() => undefined);
      closers.length = 0;
    },
  };
}
