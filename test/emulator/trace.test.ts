import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { advance, readTruth } from '../../src/emulator/api.js';
import { parseSwf } from '../../src/emulator/swf.js';
import { SHARED_TRACES } from '../helpers/paths.js';
import { pbs, tempCluster } from './_cluster.js';

const THETA = join(SHARED_TRACES, 'theta_2022.swf');
const KTH = join(SHARED_TRACES, 'KTH-SP2-1996-2.1-cln.swf.gz');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
if (!existsSync(THETA) || !existsSync(KTH))
  console.log(`note: ${SHARED_TRACES} lacks the traces: the trace replay tests are skipped.`);

/** The first n job lines of an SWF text: [submit (relative), run, allocated, requested time]. */
function firstJobs(text: string, n: number): number[][] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith(';'))
    .slice(0, n)
    .map((l) => l.trim().split(/\s+/).map(Number))
    .map((f) => [f[1] as number, f[3] as number, f[4] as number, f[8] as number]);
}

describe('SWF trace replay', () => {
  it('parses the header and job fields', () => {
    const t = parseSwf(
      '; UnixStartTime: 1000\n; MaxNodes: 10\n; MaxProcs: 20\n1 5 3 100 4 -1 -1 4 200 -1 1 7 1 -1 2 -1 -1 0\n2 9 0 50 2 -1 -1 2 60 -1 5 8 1 -1 -1 -1 -1 0\n',
    );
    expect(t.header).toEqual({ unixStartTime: 1000, maxNodes: 10, maxProcs: 20 });
    expect(t.jobs).toEqual([
      [1005, 4, 100, 200, 1, 7, 2],
      [1009, 2, 50, 60, 5, 8, -1],
    ]);
  });

  it.skipIf(!existsSync(THETA))(
    'replays a slice of ALCF Theta 2022 with its absolute submit times and node counts',
    () => {
      const c = tempCluster({ trace: THETA, traceDays: 1, historyHours: 12, warmupHours: 12 });
      cleanups.push(c.cleanup);
      advance(c.dir, 6 * 3600);
      const truth = readTruth(c.dir).filter(
        (t) =>
          !t.is_array_parent &&
          t.array_parent === null &&
          /^\d+\./.test(t.job_id) &&
          !t.queue.match(/^[RS]\d/),
      );
      const lines = firstJobs(readFileSync(THETA, 'utf8'), 20);
      expect(truth.length).toBeGreaterThanOrEqual(20);
      for (let i = 0; i < 20; i++) {
        const [submit, run, nodes, req] = lines[i] as number[];
        const t = truth[i];
        expect([t?.submit_time, t?.nodes, t?.walltime]).toEqual([submit, nodes, req]);
        // A job that finished ran exactly its recorded run time (or was stopped at its walltime).
        if (t?.final_state === 'F' && t.run_count === 1 && t.exit_status !== 271) {
          const ran =
            (t.transitions.find((x) => x.state === 'E')?.at as number) - (t.start_time as number);
          expect(ran === Math.max(1, run as number) || t.exit_status === -29).toBe(true);
        }
      }
      const doc = JSON.parse(pbs(c.dir, 'qstat', '-x', '-f', '-F', 'json').out) as {
        pbs_server: string;
        Jobs: Record<string, unknown>;
      };
      expect(Object.keys(doc.Jobs).length).toBeGreaterThan(10);
      expect(JSON.parse(pbs(c.dir, 'pbsnodes', '-a', '-F', 'json').out).nodes).toHaveProperty(
        'x2000c0s0b0n0',
      );
    },
  );

  it.skipIf(!existsSync(KTH))(
    'replays a gzipped trace (KTH SP2), sizes in processors scaled to nodes',
    () => {
      const c = tempCluster({
        trace: KTH,
        traceDays: 1,
        historyHours: 12,
        warmupHours: 12,
        start: 1700000000,
      });
      cleanups.push(c.cleanup);
      advance(c.dir, 3600);
      const lines = firstJobs(gunzipSync(readFileSync(KTH)).toString('latin1'), 5);
      const truth = readTruth(c.dir).filter(
        (t) => /^\d+\./.test(t.job_id) && !t.queue.match(/^[RS]\d/),
      );
      const first = lines[0]?.[0] as number;
      for (let i = 0; i < 5; i++) {
        const [submit, , procs, req] = lines[i] as number[];
        // The first job lands 12 h (the warm-up) before --start; the rest keep their spacing.
        expect([truth[i]?.submit_time, truth[i]?.nodes, truth[i]?.walltime]).toEqual([
          1700000000 - 12 * 3600 + (submit as number) - first,
          Math.min(100, procs as number),
          req,
        ]);
      }
    },
  );
});
