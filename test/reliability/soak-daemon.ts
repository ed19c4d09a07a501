/**
 * The soak's daemon: started in the foreground on the rig, its resident memory sampled from /proc
 * while it runs, and its collection runs counted from its JSON log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../helpers/paths.js';
import type { Rig } from './rig.js';

export interface SoakDaemon {
  child: ChildProcess;
  logFile: string;
  /** SIGTERM, then waits for the exit; returns the exit code and the peak RSS seen (MiB) */
  stop(): Promise<{ code: number | null; peakRssMib: number }>;
}

export interface DaemonRuns {
  done: number;
  /** some collector steps failed, the run stored the rest */
  partial: number;
  failed: number;
  /** the first few failed runs, `kind: error` */
  failedSamples: string[];
}

/** Resident set size of a live process in KiB (0 once it is gone). */
function rssKib(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Starts `daemon start` on the rig and samples its RSS every `sampleMs`. */
export function startSoakDaemon(rig: Rig, sampleMs = 500): SoakDaemon {
  const logFile = join(rig.dir, 'd.log');
  const child = spawn(
    process.execPath,
    [CLI, 'daemon', 'start', '--pid-file', join(rig.dir, 'd.pid'), '--log-file', logFile],
    { env: rig.env, stdio: 'ignore' },
  );
  let peak = 0;
  const sampler = setInterval(() => {
    if (child.pid) peak = Math.max(peak, rssKib(child.pid));
  }, sampleMs);
  const exited = new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  return {
    child,
    logFile,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      clearInterval(sampler);
      return { code, peakRssMib: Math.round((peak / 1024) * 10) / 10 };
    },
  };
}

/** Counts the daemon's `collection run` log lines (one per collector per run). */
export function countDaemonRuns(logFile: string): DaemonRuns {
  const out: DaemonRuns = { done: 0, partial: 0, failed: 0, failedSamples: [] };
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { msg?: string; status?: string; kind?: string; error?: string };
    if (e.msg !== 'collection run') continue;
    out.done += 1;
    if (e.status === 'partial') out.partial += 1;
    if (e.status !== 'ok' && e.status !== 'partial') {
      out.failed += 1;
      if (out.failedSamples.length < 5) out.failedSamples.push(`${e.kind}: ${e.error}`);
    }
  }
  return out;
}
