/**
 * The export's reader thread (SQLite → Parquet): reads rows with its own read-only connection
 * and turns them into Arrow IPC row groups while the main thread encodes the previous groups
 * to Parquet in wasm. At most MAX_AHEAD groups wait in the main thread's queue; a 'credit'
 * message from it lets one more go.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { keysetChunks } from './export-source.js';
import { openSqliteRowReader } from './export-sqlite-rows.js';
import { ipcGroups } from './parquet-columns.js';
import type { ReaderJob } from './export-sqlite-thread.js';

const MAX_AHEAD = 2;

async function main(port: NonNullable<typeof parentPort>, job: ReaderJob): Promise<void> {
  const reader = openSqliteRowReader(job.path);
  if (!reader) throw new Error(`cannot open ${job.path} read-only`);
  let ahead = 0;
  let credit: (() => void) | null = null;
  port.on('message', () => {
    ahead--;
    credit?.();
  });
  try {
    const params = [...job.parameters];
    const chunks = keysetChunks((last) => {
      params[job.lastAt] = last;
      return reader.rows({ sql: job.sql, parameters: params });
    }, job.batchSize);
    for await (const g of ipcGroups(job.columns, chunks, job.groupRows)) {
      port.postMessage(g, [g.ipc.buffer as ArrayBuffer]);
      ahead++;
      while (ahead >= MAX_AHEAD) await new Promise<void>((r) => (credit = r));
      credit = null;
    }
    port.postMessage('done');
  } finally {
    reader.close();
    port.removeAllListeners('message');
  }
}

if (parentPort) await main(parentPort, workerData as ReaderJob);
