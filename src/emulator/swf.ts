/** Reads Standard Workload Format traces (Parallel Workloads Archive) into compact job records. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface SwfHeader {
  unixStartTime: number;
  maxNodes: number | null;
  maxProcs: number | null;
}

/** [submit (absolute epoch), procs, runtime, requested time, status, user id, queue id] */
export type SwfJob = [number, number, number, number, number, number, number];

export interface SwfTrace {
  header: SwfHeader;
  jobs: SwfJob[];
}

/** Parses SWF text; `limitSeconds` keeps only jobs submitted within that many seconds of the first. */
export function parseSwf(text: string, limitSeconds = Infinity): SwfTrace {
  const header: SwfHeader = { unixStartTime: 0, maxNodes: null, maxProcs: null };
  const jobs: SwfJob[] = [];
  let first: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith(';')) {
      const m = /^;\s*(\w+):\s*(.*)$/.exec(line);
      if (m) {
        const v = Number(m[2]?.trim());
        if (m[1] === 'UnixStartTime' && Number.isFinite(v)) header.unixStartTime = v;
        if (m[1] === 'MaxNodes' && Number.isFinite(v)) header.maxNodes = v;
        if (m[1] === 'MaxProcs' && Number.isFinite(v)) header.maxProcs = v;
      }
      continue;
    }
    const f = line.split(/\s+/).map(Number);
    if (f.length < 18 || f.some((x) => !Number.isFinite(x))) continue;
    const submit = header.unixStartTime + (f[1] as number);
    if (first === null) first = submit;
    if (submit - first > limitSeconds) break;
    const procs = (f[4] as number) > 0 ? (f[4] as number) : (f[7] as number);
    const run = f[3] as number;
    if (procs <= 0 || run < 0) continue;
    jobs.push([
      submit,
      procs,
      run,
      f[8] as number,
      f[10] as number,
      f[11] as number,
      f[14] as number,
    ]);
  }
  return { header, jobs };
}

/** Reads a .swf or .swf.gz file. */
export function readSwfFile(path: string, limitSeconds?: number): SwfTrace {
  const buf = readFileSync(path);
  const text =
    path.endsWith('.gz') || (buf[0] === 0x1f && buf[1] === 0x8b)
      ? gunzipSync(buf).toString('latin1')
      : buf.toString('latin1');
  return parseSwf(text, limitSeconds);
}
