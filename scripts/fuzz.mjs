#!/usr/bin/env node
// Property-based fuzzing of the built PBS readers (dist/): valid documents, single injected defects,
// random byte damage, wrong shapes and pbs_rstat text. Usage: node scripts/fuzz.mjs [--runs N] [--seed S]
// N is the total number of generated inputs across the five properties (default 100,000).
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeChecks, mutate, serialise } from '../test/reliability/fuzz-core.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const load = (p) => import(pathToFileURL(resolve(ROOT, 'dist', p)).href);

/** Parses --runs/--seed. */
function args(argv) {
  const out = { runs: 100_000, seed: Date.now() % 2 ** 31, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') out.runs = Number(argv[++i]);
    else if (argv[i] === '--seed') out.seed = Number(argv[++i]);
    else if (argv[i] === '--quiet') out.quiet = true;
    else throw new Error(`unknown argument ${argv[i]} (usage: fuzz.mjs [--runs N] [--seed S])`);
  }
  if (!Number.isInteger(out.runs) || out.runs < 5) throw new Error('--runs must be an integer ≥ 5');
  return out;
}

/** Runs every property; returns the figures. */
export async function fuzz({ runs, seed }) {
  const parse = await load('pbs/parse/index.js');
  const { readTolerant } = await load('pbs/parse/tolerant-reader.js');
  const { PbsOutputError } = await load('pbs/errors.js');
  const checks = makeChecks({
    readPbsJson: parse.readPbsJson,
    readTolerant,
    parsers: {
      jobs: parse.parseJobs,
      nodes: parse.parseNodes,
      queues: parse.parseQueues,
      server: parse.parseServer,
    },
    parseReservations: parse.parseReservations,
    PbsOutputError,
    // a generous hang bound: 250 ms plus 5 ms per KB (linear); the figures below show the real cost
    timeBound: (size) => 250 + (5 * size) / 1024,
  });
  const share = { valid: 0.2, defect: 0.3, mutated: 0.3, shape: 0.1, rstat: 0.1 };
  const t0 = performance.now();
  const perProperty = {};
  for (const [name, part] of Object.entries(share)) {
    const before = checks.stats.inputs;
    fc.assert(checks[name], {
      numRuns: Math.max(1, Math.round(runs * part)),
      seed,
      endOnFailure: true,
    });
    perProperty[name] = checks.stats.inputs - before;
  }
  // linear time: one large damaged document per size step, each parsed by every reader
  const scale = [];
  const parse2 = parse;
  for (const jobs of [100, 1000, 10_000]) {
    const doc = { timestamp: 1, pbs_version: '23.06.06', pbs_server: 's', Jobs: {} };
    for (let i = 0; i < jobs; i++)
      doc.Jobs[`${i}.s`] = {
        Job_Name: `job "${i}"\\x`,
        queue_rank: i,
        Resource_List: { select: '1:ncpus=8', walltime: '01:00:00' },
        comment: 'é ^A \u202e',
      };
    let bytes = Buffer.from(serialise(doc, 'pbspro'));
    bytes = mutate(bytes, [
      {
        op: 'insert',
        at: Math.floor(bytes.length / 2),
        bytes: Buffer.from('005,"x":\xff', 'latin1'),
      },
    ]);
    let ms = Infinity; // best of 3: one number per size, free of GC and scheduler noise
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      try {
        parse2.parseJobs(bytes);
      } catch (err) {
        if (!(err instanceof PbsOutputError)) throw err;
      }
      ms = Math.min(ms, performance.now() - t);
    }
    scale.push({ kb: bytes.length / 1024, ms, msPerKb: ms / (bytes.length / 1024) });
  }
  const ms = performance.now() - t0;
  const sorted = checks.stats.perKb.sort((a, b) => a - b);
  const p99MsPerKb = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  return { seed, stats: checks.stats, perProperty, ms, scale, p99MsPerKb };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = args(process.argv.slice(2));
  const r = await fuzz(opts);
  const s = r.stats;
  console.log(
    `fuzz: seed ${r.seed}; ${s.inputs.toLocaleString('en-US')} reader/parser calls on generated or mutated outputs (${Object.entries(
      r.perProperty,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  console.log(
    `  ${(r.ms / 1000).toFixed(1)} s total, ${Math.round(s.inputs / (r.ms / 1000)).toLocaleString('en-US')} inputs/s (generation included); parse time ${(s.ms / 1000).toFixed(1)} s over ${(s.bytes / 1048576).toFixed(1)} MB`,
  );
  console.log(
    `  slowest input ${s.maxMs.toFixed(2)} ms; p99 ${r.p99MsPerKb.toFixed(3)} ms/KB, max ${s.maxMsPerKb.toFixed(3)} ms/KB over inputs ≥ 1 KB; ${s.outputErrors} PbsOutputError, ${s.repairs} repairs on single defects; ${s.retimed} inputs re-timed after a pause`,
  );
  console.log(
    `  linear: ${r.scale.map((x) => `${x.kb.toFixed(0)} KB ${x.ms.toFixed(1)} ms (${x.msPerKb.toFixed(4)} ms/KB)`).join('; ')}`,
  );
  console.log('  no throw other than PbsOutputError, no hang, no silent change of a valid value');
}
