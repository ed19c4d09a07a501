/**
 * The outage spool on disk (`<spool_dir>/outage`): one gzip JSON file per capture, named by its
 * sequence number (order is exact even if the clock jumps) and capture time, written to a temp
 * file and renamed (a reader never sees half a capture), mode 0600 (job names and owners are
 * private). Bounded: a capture that would take the folder past its size is not written.
 * A replay in progress notes the collectors already done in `<capture>.done`.
 */
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expandHome } from '../../config/expand-home.js';
import { COLLECTOR_KINDS, type CollectorKind } from '../types.js';
import { CAPTURE_VERSION, type Capture } from './capture.js';

const NAME = /^(\d{10})-(\d{8}T\d{6}Z)\.json\.gz$/;

/** The outage spool folder for a spool dir (`~` expanded). */
export function outageDir(spoolDir: string, home?: string): string {
  return join(expandHome(spoolDir, home ?? homedir()), 'outage');
}

export interface SpoolFile {
  name: string;
  path: string;
  seq: number;
  bytes: number;
}

/** Captures waiting in the folder, oldest (lowest sequence) first; temp and side files excluded. */
export async function listCaptures(dir: string): Promise<SpoolFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: SpoolFile[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const s = await stat(join(dir, name)).catch(() => null);
    if (s?.isFile()) out.push({ name, path: join(dir, name), seq: Number(m[1]), bytes: s.size });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** Bytes held by the folder's captures. */
export async function spoolBytes(dir: string): Promise<number> {
  return (await listCaptures(dir)).reduce((s, f) => s + f.bytes, 0);
}

export type WriteOutcome =
  | { written: true; file: string; seq: number; bytes: number }
  | { written: false; reason: 'full'; bytes: number; used: number };

/** Writes a capture as the next in sequence, unless it would take the folder past `maxBytes`. */
export async function writeCapture(
  dir: string,
  capture: Omit<Capture, 'seq'>,
  maxBytes: number,
): Promise<WriteOutcome> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const existing = await listCaptures(dir);
  const used = existing.reduce((s, f) => s + f.bytes, 0);
  const seq = (existing.at(-1)?.seq ?? 0) + 1;
  const body = gzipSync(JSON.stringify({ ...capture, seq }));
  if (used + body.length > maxBytes)
    return { written: false, reason: 'full', bytes: body.length, used };
  const stamp = new Date(capture.capturedAtMs).toISOString().replace(/[-:]|\.\d+/g, '');
  const file = join(dir, `${String(seq).padStart(10, '0')}-${stamp}.json.gz`);
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { written: true, file, seq, bytes: body.length };
}

/** Reads and checks a capture; throws on a corrupt or foreign file. */
export async function readCapture(path: string): Promise<Capture> {
  const data = JSON.parse(gunzipSync(await readFile(path)).toString('utf8')) as Partial<Capture>;
  if (
    data.version !== CAPTURE_VERSION ||
    typeof data.seq !== 'number' ||
    typeof data.capturedAtMs !== 'number' ||
    !Array.isArray(data.kinds) ||
    !data.kinds.every((k) => COLLECTOR_KINDS.includes(k)) ||
    !data.server ||
    !Array.isArray(data.server.items)
  )
    throw new Error('not a capture of this version');
  const needs: Array<[boolean, unknown]> = [
    [data.kinds.includes('jobs'), data.jobs?.live?.items && data.jobs.finished?.items],
    [data.kinds.includes('nodes') || data.kinds.includes('system'), data.nodes?.items],
    [data.kinds.includes('queues'), data.queues?.items],
    [data.kinds.includes('reservations'), data.reservations?.items],
  ];
  if (needs.some(([needed, has]) => needed && !Array.isArray(has)))
    throw new Error('a listing its collectors need is missing');
  return data as Capture;
}

/** Moves a capture that cannot be read to `bad/` (kept for diagnosis, never replayed). */
export async function quarantine(dir: string, file: SpoolFile): Promise<string> {
  const bad = join(dir, 'bad');
  await mkdir(bad, { recursive: true, mode: 0o700 });
  const to = join(bad, file.name);
  await rename(file.path, to);
  await rm(donePath(file.path), { force: true });
  return to;
}

const donePath = (capturePath: string) => `${capturePath}.done`;

/** Collectors of a capture already replayed (committed) by an earlier, interrupted replay. */
export async function readDone(capturePath: string): Promise<Set<CollectorKind>> {
  try {
    const kinds = JSON.parse(await readFile(donePath(capturePath), 'utf8')) as unknown;
    return new Set(
      Array.isArray(kinds)
        ? kinds.filter((k): k is CollectorKind => COLLECTOR_KINDS.includes(k))
        : [],
    );
  } catch {
    return new Set();
  }
}

/** Notes the collectors of a capture whose replay committed. */
export async function writeDone(capturePath: string, kinds: Set<CollectorKind>): Promise<void> {
  const tmp = `${donePath(capturePath)}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify([...kinds]), { mode: 0o600, flag: 'wx' });
  await rename(tmp, donePath(capturePath));
}

/** Removes a fully replayed capture and its side file. */
export async function removeCapture(capturePath: string): Promise<void> {
  await rm(capturePath, { force: true });
  await rm(donePath(capturePath), { force: true });
}
