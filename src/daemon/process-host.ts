/**
 * The real DaemonHost. This file is the one deliberate exception to "only src/main.ts touches
 * `process`": the daemon needs its own pid, signal handlers (SIGHUP for reload, and SIGTERM/SIGINT
 * replacing main's listeners so a graceful stop exits 0), detaching, and /proc. Everything else in
 * src/daemon takes a DaemonHost so tests can drive it with a fake.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DaemonHost, DaemonSignal, DetachedChild, SpawnDetachedOptions } from './host.js';

/** The host for the running process. */
export function processHost(): DaemonHost {
  return {
    pid: process.pid,
    hostname: hostname(),
    execPath: process.execPath,
    scriptPath: process.argv[1] ?? '',
    onSignal(sig: DaemonSignal, handler: () => void) {
      // main.ts installs once-listeners that abort deps.signal (exit 130); the daemon owns these
      process.removeAllListeners(sig);
      const h = () => handler();
      process.on(sig, h);
      return () => void process.off(sig, h);
    },
    kill(pid, sig) {
      try {
        process.kill(pid, sig);
        return true;
      } catch (err) {
        // EPERM: it exists but belongs to someone else
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    isAlive(pid) {
      if (!Number.isInteger(pid) || pid <= 0) return false;
      try {
        process.kill(pid, 0);
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
      // a zombie (exited, not yet reaped: e.g. a container's PID 1 that never reaps) is gone
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
      } catch {
        return true;
      }
    },
    processCommandLine(pid) {
      try {
        const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return raw.split('\0').filter((s) => s.length > 0);
      } catch {
        return null;
      }
    },
    spawnDetached(opts: SpawnDetachedOptions): DetachedChild {
      const fd = openSync(opts.logFile, 'a', 0o600);
      const child = spawn(opts.execPath, opts.args, {
        cwd: opts.cwd,
        env: opts.env as NodeJS.ProcessEnv,
        detached: true,
        stdio: ['ignore', fd, fd, 'ipc'],
      });
      closeSync(fd);
      return {
        pid: child.pid ?? -1,
        firstMessage: (timeoutMs) =>
          new Promise((resolve, reject) => {
            const t = setTimeout(() => {
              cleanup();
              reject(new Error(`no readiness report within ${Math.round(timeoutMs / 1000)} s`));
            }, timeoutMs);
            const onMsg = (m: unknown) => {
              cleanup();
              resolve(m);
            };
            const onExit = (code: number | null, sig: string | null) => {
              cleanup();
              reject(new Error(`it exited before it was ready (${sig ?? `exit code ${code}`})`));
            };
            const onErr = (e: Error) => {
              cleanup();
              reject(e);
            };
            const cleanup = () => {
              clearTimeout(t);
              child.off('message', onMsg).off('exit', onExit).off('error', onErr);
            };
            child.on('message', onMsg).on('exit', onExit).on('error', onErr);
          }),
        release() {
          if (child.connected) child.disconnect();
          child.unref();
        },
      };
    },
    notifyParent(message) {
      if (process.send && process.connected) {
        process.send(message, () => {
          if (process.connected) process.disconnect();
        });
      }
    },
    exit(code) {
      process.exit(code);
    },
    monotonicMs: () => performance.now(),
  };
}
