// Emulator figures at the aurora preset: init + advance 1d, one `qstat -f -F json` through the bin
// script (a real process, as pbs-monitor runs it), output sizes and the number of jobs in view.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  advance,
  binDir,
  createCluster,
  runPbsCommand,
  status,
} from '../../dist/emulator/index.js';
import { mb, peakRss, row } from './_util.mjs';

const dir = mkdtempSync(join(tmpdir(), 'pbs-emu-bench-'));
try {
  // CPU seconds are printed too: on a shared machine the wall time mostly measures the neighbours.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let t = performance.now();
  let c = cpu();
  createCluster(dir, { preset: 'aurora', seed: 1 });
  const init = performance.now() - t;
  const initCpu = cpu() - c;
  t = performance.now();
  c = cpu();
  advance(dir, 86400);
  const day = performance.now() - t;
  const dayCpu = cpu() - c;
  row(
    'aurora: init (126 h simulated), wall / cpu',
    `${(init / 1000).toFixed(1)} s / ${initCpu.toFixed(1)} s`,
  );
  row('aurora: advance 1d, wall / cpu', `${(day / 1000).toFixed(1)} s / ${dayCpu.toFixed(1)} s`);
  row('aurora: init + advance 1d (wall)', `${((init + day) / 1000).toFixed(1)} s`, '≤ 10 s');
  const bin = binDir(dir);
  const run = (args) => {
    const t0 = performance.now();
    const out = execFileSync(join(bin, 'qstat'), args, { maxBuffer: 1 << 30 });
    return [performance.now() - t0, out.length];
  };
  const [qf, qfSize] = run(['-f', '-F', 'json']);
  row('aurora: qstat -f -F json via bin script', `${(qf / 1000).toFixed(2)} s`, '≤ 2 s');
  const [qx, qxSize] = run(['-x', '-f', '-F', 'json']);
  row('aurora: qstat -x -f -F json via bin script', `${(qx / 1000).toFixed(2)} s`);
  t = performance.now();
  const nodes = runPbsCommand('pbsnodes', dir, ['-a', '-F', 'json']).stdout.length;
  row(
    'aurora: pbsnodes -a -F json (in-process)',
    `${((performance.now() - t) / 1000).toFixed(2)} s`,
  );
  row('aurora: qstat -f -F json size', mb(qfSize));
  row('aurora: qstat -x -f -F json size', mb(qxSize));
  row('aurora: pbsnodes -a -F json size', mb(nodes));
  const s = status(dir);
  const inView = Object.values(s.jobs).reduce((a, b) => a + b, 0);
  row('aurora: jobs in view (qstat -x -t, incl. subjobs)', inView);
  row('aurora: jobs in truth', s.truthJobs);
  row('peak RSS', mb(peakRss()));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
