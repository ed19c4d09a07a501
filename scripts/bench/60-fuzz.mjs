// Fuzzing at full count (100,000 generated or mutated PBS outputs): throughput and time per KB.
// The properties themselves (and their pass/fail) are in scripts/fuzz.mjs / test/reliability/fuzz-core.mjs.
import { fuzz } from '../fuzz.mjs';
import { row } from './_util.mjs';

const runs = Number(process.env.PBS_MONITOR_FUZZ_RUNS ?? 100_000);
const r = await fuzz({ runs, seed: 20261128 });
const s = r.stats;
row(
  'fuzz inputs (generated + mutated, all properties pass)',
  s.inputs.toLocaleString('en-US'),
  '≥ 100,000',
);
row('fuzz wall time (generation included)', `${(r.ms / 1000).toFixed(1)} s`);
row('fuzz throughput', `${Math.round(s.inputs / (r.ms / 1000))} inputs/s`);
row('slowest single input', `${s.maxMs.toFixed(1)} ms`);
row('p99 time per KB (inputs ≥ 1 KB)', `${r.p99MsPerKb.toFixed(3)} ms/KB`);
row('max time per KB (inputs ≥ 1 KB; GC pauses included)', `${s.maxMsPerKb.toFixed(3)} ms/KB`);
for (const x of r.scale)
  row(
    `damaged qstat -f of ${x.kb.toFixed(0)} KB`,
    `${x.msPerKb.toFixed(4)} ms/KB`,
    'flat = linear',
  );
