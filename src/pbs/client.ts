/**
 * The PBS client over the runner: which command answers which question, and the PBS quirks
 * that decide how (see the comments on `jobs`).
 */
import type { Config } from '../config/schema.js';
import type { Logger } from '../util/logger.js';
import type { JobQuery, PbsClient } from './client-types.js';
import type { Job, Parsed } from './types.js';
import { PbsCommandError } from './errors.js';
import { EXIT_JOB_FINISHED, EXIT_UNKNOWN_JOB } from './command-failure.js';
import { createPbsRunner, type PbsRunner } from './runner.js';
import { emptyParsed, mergeParsed } from './merge-parsed.js';
import { formatQselectTime } from './qselect-time.js';
import {
  parseJobs,
  parseNodes,
  parseQueues,
  parseServer,
  parseReservations,
  parseQselect,
} from './parse/index.js';

export interface CreatePbsClientOptions {
  config: Config;
  env: Record<string, string | undefined>;
  logger: Logger;
  signal?: AbortSignal;
  /** a prepared runner (tests); else one is built from the config */
  runner?: PbsRunner;
}

/**
 * Up to this many ids are fetched one `qstat` per id; more are taken from one full dump filtered
 * here. PBS quirk: `qstat -x -f -F json ID1 ID2` returns only ID1 on OpenPBS 23.06 (exit 0), so
 * several ids in one command would silently lose jobs.
 */
export const PER_ID_LIMIT = 20;
const PER_ID_CONCURRENCY = 4;

/** Creates the client; nothing runs until a method is called. */
export function createPbsClient(opts: CreatePbsClientOptions): PbsClient {
  const pbs = opts.config.pbs;
  const timezone = pbs.timezone ?? undefined;
  const runner =
    opts.runner ??
    createPbsRunner({
      binDir: pbs.bin_dir,
      timeoutSeconds: pbs.command_timeout,
      timezone: pbs.timezone,
      server: pbs.server,
      env: opts.env,
      signal: opts.signal,
    });

  const logRepairs = (label: string, parsed: Parsed<unknown>) => {
    if (parsed.repairs.length > 0)
      opts.logger.debug({ command: label, repairs: parsed.repairs.length }, 'repaired PBS output');
  };

  const runJobs = async (args: string[]): Promise<Parsed<Job>> => {
    const label = ['qstat', ...args].join(' ');
    const { stdout } = await runner.run('qstat', args);
    const parsed = parseJobs(stdout, { timezone, command: label });
    logRepairs(label, parsed);
    return parsed;
  };

  const oneJob = async (base: string[], id: string): Promise<Parsed<Job>> => {
    try {
      return await runJobs([...base, id]);
    } catch (err) {
      // an id PBS does not know (153) or a finished one asked for without -x (35) is simply absent
      if (
        err instanceof PbsCommandError &&
        !err.serverDown &&
        (err.status === EXIT_UNKNOWN_JOB || err.status === EXIT_JOB_FINISHED)
      )
        return emptyParsed<Job>();
      throw err;
    }
  };

  return {
    async jobs(q: JobQuery = {}) {
      const base = ['-f', '-F', 'json'];
      if (q.finished) base.push('-x');
      if (q.subjobs) base.push('-t');
      let result: Parsed<Job>;
      const ids = q.ids ? [...new Set(q.ids)] : undefined;
      if (ids && ids.length === 0) result = emptyParsed<Job>();
      else if (ids && ids.length <= PER_ID_LIMIT) {
        const parts: Parsed<Job>[] = new Array(ids.length);
        let next = 0;
        const worker = async () => {
          while (next < ids.length) {
            const i = next++;
            parts[i] = await oneJob(base, ids[i]!);
          }
        };
        await Promise.all(Array.from({ length: Math.min(PER_ID_CONCURRENCY, ids.length) }, worker));
        result = mergeParsed(parts);
      } else if (ids) {
        const all = await runJobs(base);
        const want = new Set(ids);
        result = {
          ...all,
          items: all.items.filter((j) => want.has(j.jobId) || want.has(j.shortId)),
        };
      } else {
        result = await runJobs(base);
      }
      // filtered here: some qstat versions print a text table before the JSON with -u
      if (q.user) result = { ...result, items: result.items.filter((j) => j.owner === q.user) };
      return result;
    },

    async nodes(o = {}) {
      const args = [o.vnodes ? '-av' : '-a', '-F', 'json'];
      const label = ['pbsnodes', ...args].join(' ');
      const { stdout } = await runner.run('pbsnodes', args);
      const parsed = parseNodes(stdout, { command: label });
      logRepairs(label, parsed);
      return parsed;
    },

    async queues() {
      const args = ['-Q', '-f', '-F', 'json'];
      const { stdout } = await runner.run('qstat', args);
      const parsed = parseQueues(stdout, { command: 'qstat -Q -f -F json' });
      logRepairs('qstat -Q', parsed);
      return parsed;
    },

    async server() {
      const args = ['-B', '-f', '-F', 'json'];
      const { stdout } = await runner.run('qstat', args);
      const parsed = parseServer(stdout, { command: 'qstat -B -f -F json' });
      logRepairs('qstat -B', parsed);
      return parsed;
    },

    async reservations() {
      const { stdout } = await runner.run('pbs_rstat', ['-f']);
      const parsed = parseReservations(stdout, { timezone, command: 'pbs_rstat -f' });
      logRepairs('pbs_rstat -f', parsed);
      return parsed;
    },

    async selectModifiedSince(since: number) {
      const args = ['-x', '-t', `m.gt.${formatQselectTime(since, pbs.timezone)}`];
      const { stdout } = await runner.run('qselect', args);
      return parseQselect(stdout);
    },

    takeTimings: () => runner.takeTimings(),
  };
}
