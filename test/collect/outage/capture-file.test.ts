import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  listCaptures,
  outageDir,
  quarantine,
  readCapture,
  readDone,
  removeCapture,
  spoolBytes,
  writeCapture,
  writeDone,
} from '../../../src/collect/outage/capture-file.js';
import { capturePbs as captureOutcome } from '../../../src/collect/outage/capture.js';
import { FakePbs, finished, makeNode, makeQueue, makeResv, running } from '../fake-pbs.js';

const AT = Date.UTC(2026, 0, 10, 12, 0, 0);

const capturePbs = async (...args: Parameters<typeof captureOutcome>) =>
  (await captureOutcome(...args)).capture;

function fakePbs(): FakePbs {
  const pbs = new FakePbs();
  pbs.live = [running(1, 100), running(2, 200)];
  pbs.history = [finished(3, 100, 400, 1), finished(4, 150, 500, 0)];
  pbs.nodeList = [makeNode('n1'), makeNode('n2')];
  pbs.queueList = [makeQueue('workq')];
  pbs.resvList = [makeResv('R1.pbs1', 'RESV_CONFIRMED')];
  return pbs;
}

describe('the outage spool files', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'outage-')), 'outage');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('is <spool_dir>/outage with ~ expanded', () => {
    expect(outageDir('~/.pbs_monitor/spool', '/home/u')).toBe('/home/u/.pbs_monitor/spool/outage');
    expect(outageDir('/var/spool/pbsmon', '/home/u')).toBe('/var/spool/pbsmon/outage');
  });

  it('round-trips a capture exactly, gzip, 0600, named by sequence and time', async () => {
    const cap = await capturePbs(fakePbs(), ['jobs', 'nodes', 'queues', 'reservations'], null, AT);
    const w = await writeCapture(dir, cap, 1 << 20);
    expect(w.written).toBe(true);
    if (!w.written) return;
    expect(w.file).toBe(join(dir, '0000000001-20260110T120000Z.json.gz'));
    expect(statSync(w.file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const back = await readCapture(w.file);
    expect(back).toEqual({ ...cap, seq: 1 });
    // no reference time: every job PBS holds was taken
    expect(back.jobs!.fullDump).toBe(true);
    expect(back.jobs!.live.items.map((j) => j.jobId)).toEqual(['1.pbs1', '2.pbs1']);
    expect(back.jobs!.finished.items.map((j) => j.jobId)).toEqual([
      '1.pbs1',
      '2.pbs1',
      '3.pbs1',
      '4.pbs1',
    ]);
    expect(readdirSync(dir)).toEqual(['0000000001-20260110T120000Z.json.gz']); // no temp left
  });

  it('with a reference time takes only the finished jobs qselect names, by id', async () => {
    const pbs = fakePbs();
    pbs.modified = ['2.pbs1', '4.pbs1'];
    const cap = await capturePbs(pbs, ['jobs'], 1000, AT);
    expect(cap.jobs!.fullDump).toBe(false);
    expect(cap.jobs!.finished.items.map((j) => j.jobId)).toEqual(['4.pbs1']);
    expect(cap.nodes).toBeUndefined();
    expect(pbs.calls).toEqual(['server', 'jobs', 'qselect', 'jobs-ids']);
  });

  it('system needs the nodes listing; a capture only holds what its collectors need', async () => {
    const pbs = fakePbs();
    const cap = await capturePbs(pbs, ['system'], null, AT);
    expect(Object.keys(cap).sort()).toEqual([
      'capturedAtMs',
      'kinds',
      'nodes',
      'server',
      'version',
    ]);
    expect(pbs.calls).toEqual(['server', 'nodes']);
  });

  it('leaves out the collectors whose listing PBS failed, keeps the others, in collector order', async () => {
    const pbs = fakePbs();
    pbs.fail.queues = [new Error('qstat -Q: timed out after 30 s')];
    const out = await captureOutcome(pbs, ['reservations', 'queues', 'jobs'], null, AT);
    expect(out.capture.kinds).toEqual(['jobs', 'reservations']);
    expect(out.capture.queues).toBeUndefined();
    expect(out.skipped).toEqual({ queues: 'qstat -Q: timed out after 30 s' });
    // nothing at all to keep: the capture fails
    pbs.fail.nodes = [new Error('pbsnodes: cannot connect')];
    await expect(captureOutcome(pbs, ['nodes', 'system'], null, AT)).rejects.toThrow(
      'pbsnodes: cannot connect',
    );
  });

  it('orders by sequence even when the clock went back', async () => {
    const pbs = fakePbs();
    await writeCapture(dir, await capturePbs(pbs, ['nodes'], null, AT), 1 << 20);
    await writeCapture(dir, await capturePbs(pbs, ['nodes'], null, AT - 3_600_000), 1 << 20);
    await writeCapture(dir, await capturePbs(pbs, ['queues'], null, AT + 60_000), 1 << 20);
    const files = await listCaptures(dir);
    expect(files.map((f) => f.name)).toEqual([
      '0000000001-20260110T120000Z.json.gz',
      '0000000002-20260110T110000Z.json.gz',
      '0000000003-20260110T120100Z.json.gz',
    ]);
    expect((await readCapture(files[2]!.path)).kinds).toEqual(['queues']);
  });

  it('refuses a capture that would take the folder past its bound, and takes one again after a replay', async () => {
    const pbs = fakePbs();
    const first = await writeCapture(dir, await capturePbs(pbs, ['nodes'], null, AT), 1 << 20);
    if (!first.written) throw new Error('first capture refused');
    const max = first.bytes + 10; // room for one capture only
    const second = await writeCapture(dir, await capturePbs(pbs, ['nodes'], null, AT + 1000), max);
    expect(second).toMatchObject({ written: false, reason: 'full', used: first.bytes });
    expect((await listCaptures(dir)).length).toBe(1);
    expect(await spoolBytes(dir)).toBe(first.bytes);
    await removeCapture(first.file);
    const third = await writeCapture(dir, await capturePbs(pbs, ['nodes'], null, AT + 2000), max);
    expect(third.written).toBe(true);
    if (third.written) expect(third.seq).toBe(1); // the sequence restarts in an empty folder
  });

  it('rejects a corrupt or foreign file, and moves it to bad/', async () => {
    const cap = await capturePbs(fakePbs(), ['nodes'], null, AT);
    const w = await writeCapture(dir, cap, 1 << 20);
    if (!w.written) throw new Error('refused');
    const truncated = join(dir, '0000000002-20260110T120000Z.json.gz');
    writeFileSync(truncated, gzipSync('{"version":1,"seq":2').subarray(0, 20));
    const foreign = join(dir, '0000000003-20260110T120000Z.json.gz');
    writeFileSync(foreign, gzipSync(JSON.stringify({ ...cap, seq: 3, nodes: undefined })));
    await expect(readCapture(truncated)).rejects.toThrow();
    await expect(readCapture(foreign)).rejects.toThrow('a listing its collectors need is missing');
    const files = await listCaptures(dir);
    const to = await quarantine(dir, files[1]!);
    expect(to).toBe(join(dir, 'bad', '0000000002-20260110T120000Z.json.gz'));
    expect((await listCaptures(dir)).map((f) => f.seq)).toEqual([1, 3]);
  });

  it('remembers the collectors of a capture already replayed', async () => {
    const w = await writeCapture(
      dir,
      await capturePbs(fakePbs(), ['jobs', 'nodes'], null, AT),
      1 << 20,
    );
    if (!w.written) throw new Error('refused');
    expect([...(await readDone(w.file))]).toEqual([]);
    await writeDone(w.file, new Set(['jobs']));
    expect([...(await readDone(w.file))]).toEqual(['jobs']);
    expect((await listCaptures(dir)).length).toBe(1); // the side file is not a capture
    await removeCapture(w.file);
    expect(readdirSync(dir)).toEqual([]);
  });
});
