/**
 * Runs the SQLite side of a Parquet export in a worker thread (export-sqlite-worker.ts): reading
 * rows and building Arrow row groups there, Parquet encoding here, so the two halves of the work
 * (about equal on the 1M-job export) use both cores. Without the compiled worker file (tests
 * run the TypeScript sources) the caller reads in this thread instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ColType } from './export-columns.js';
import type { IpcGroup } from './parquet-columns.js';

/** What the reader thread needs: the chunk query with `lastAt` the index of the last-id parameter. */
export interface ReaderJob {
  path: string;
  sql: string;
  parameters: unknown[];
  lastAt: number;
  batchSize: number;
  columns: Array<[string, ColType]>;
  groupRows: number;
}

const WORKER = new URL('./export-sqlite-worker.js', import.meta.url);

/** True when the compiled worker file exists (not when running from the TypeScript sources). */
export function readerThreadAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/** The row groups the reader thread produces, in order; stops the thread when abandoned. */
export async function* readerThreadGroups(job: ReaderJob): AsyncGenerator<IpcGroup> {
  // no inherited Node options: under `node -e CODE` a worker would run CODE instead of its file
  // (V8 flags such as the heap caps are process-wide and still apply)
  const worker = new Worker(WORKER, { workerData: job, execArgv: [] });
  const queue: IpcGroup[] = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  worker.on('message', (m: IpcGroup | 'done') => {
    if (m === 'done') done = true;
    else queue.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (!done && !failure) failure = new Error(`the export reader thread exited with ${code}`);
    wake?.();
  });
  try {
    for (;;) {
      const g = queue.shift();
      if (g) {
        worker.postMessage('credit');
        yield g;
      } else if (failure) throw failure;
      else if (done) return;
      else await new Promise<void>((r) => (wake = r));
    }
  } finally {
    await worker.terminate();
  }
}
