/**
 * What the daemon needs from its operating-system process, behind one small interface so the
 * lifecycle logic can be driven by tests (a fake host) and the real thing lives in one file
 * (process-host.ts).
 */
export type DaemonSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP';

export interface SpawnDetachedOptions {
  /** node executable */
  execPath: string;
  /** arguments after the node executable (script first) */
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** stdout and stderr of the child are appended here */
  logFile: string;
}

export interface DetachedChild {
  pid: number;
  /** resolves with the first IPC message (the readiness report), or rejects if the child exits first */
  firstMessage(timeoutMs: number): Promise<unknown>;
  /** stop listening to the child so this process can exit while it keeps running */
  release(): void;
}

export interface DaemonHost {
  /** this process's id */
  readonly pid: number;
  /** this machine's host name */
  readonly hostname: string;
  /** node executable and the CLI script of this process, for re-exec and unit files */
  readonly execPath: string;
  readonly scriptPath: string;
  /** handle a signal in place of the default listeners; returns an unsubscribe function */
  onSignal(sig: DaemonSignal, handler: () => void): () => void;
  /** send a signal; false if the process does not exist */
  kill(pid: number, sig: NodeJS.Signals | 0): boolean;
  isAlive(pid: number): boolean;
  /** /proc/<pid>/cmdline split into arguments, or null when unreadable */
  processCommandLine(pid: number): string[] | null;
  spawnDetached(opts: SpawnDetachedOptions): DetachedChild;
  /** report readiness to a parent that spawned us with an IPC channel (no-op otherwise) */
  notifyParent(message: unknown): void;
  /** exit now (second signal) */
  exit(code: number): never;
  /** a monotonic clock in ms (not affected by wall-clock jumps) */
  monotonicMs(): number;
}
