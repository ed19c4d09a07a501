/** A DaemonHost for tests: a process table of its own, recorded signals, exit as a throw. */
import type { DaemonHost, DaemonSignal } from '../../src/daemon/host.js';

export class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}

export interface FakeHost extends DaemonHost {
  /** pid → command line of the processes that "exist" */
  procs: Map<number, string[]>;
  sent: { pid: number; sig: string | number }[];
  exits: number[];
  /** deliver a signal to this process's handlers */
  raise(sig: DaemonSignal): void;
  parentMessages: unknown[];
}

export const DAEMON_CMD = ['/usr/bin/node', '/opt/pbs-monitor/dist/main.js', 'daemon', 'start'];

/** A fake host whose own process is `pid`, running as a daemon. */
export function fakeHost(pid = 4242, hostname = 'login1'): FakeHost {
  const handlers = new Map<DaemonSignal, Set<() => void>>();
  const procs = new Map<number, string[]>([[pid, DAEMON_CMD]]);
  let mono = 0;
  const h: FakeHost = {
    pid,
    hostname,
    execPath: '/usr/bin/node',
    scriptPath: '/opt/pbs-monitor/dist/main.js',
    procs,
    sent: [],
    exits: [],
    parentMessages: [],
    onSignal(sig, handler) {
      const set = handlers.get(sig) ?? new Set();
      handlers.set(sig, set);
      set.add(handler);
      return () => void set.delete(handler);
    },
    raise(sig) {
      for (const fn of handlers.get(sig) ?? []) fn();
    },
    kill(p, sig) {
      h.sent.push({ pid: p, sig });
      return procs.has(p);
    },
    isAlive: (p) => procs.has(p),
    processCommandLine: (p) => procs.get(p) ?? null,
    spawnDetached() {
      throw new Error('not in this test');
    },
    notifyParent(m) {
      h.parentMessages.push(m);
    },
    exit(code): never {
      h.exits.push(code);
      throw new ExitCalled(code);
    },
    monotonicMs: () => (mono += 1),
  };
  return h;
}
