// Parsers: synthetic Aurora-scale `qstat -f -F json` (10,000 jobs) and `pbsnodes -a -F json` (10,624 nodes).
// Each measurement runs in a fresh child process so that its peak RSS (VmHWM) is its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { best, mb, peakRss, row } from './_util.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SELF = fileURLToPath(import.meta.url);
const PARSE = join(ROOT, 'dist/pbs/parse/index.js');
const SERVER = 'aurora-pbs-0001.hostmgmt.cm.aurora.alcf.anl.gov';
const UAN = 'aurora-uan-0013.hostmgmt1000.cm.aurora.alcf.anl.gov';
const NJOBS = 10_000;
const NNODES = 10_624;

/** deterministic PRNG (mulberry32) */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function ctime(epoch) {
  const d = new Date(epoch * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
const nodeName = (i) => `x${4000 + Math.floor(i / 64)}c${Math.floor(i / 8) % 8}s${i % 8}b0n0`;
const q = (s) => JSON.stringify(s);

/** one job in the Aurora release layout (4-space indent, "key":value); `defects` injects what old PBS prints */
function job(i, r, defects) {
  const id = `${6_000_000 + i}.${SERVER}`;
  const user = `user${Math.floor(r() * 800)}`;
  // Aurora-like mix: mostly queued, ~500 running jobs filling the machine, 120 h of history.
  const u = r();
  const state = u < 0.5 ? 'Q' : u < 0.6 ? 'H' : u < 0.65 ? 'R' : 'F';
  const nodes = Math.max(1, Math.floor(2 ** (r() ** 4 * 9))); // 1 … 512 nodes, mean ≈ 20
  const t0 = 1752784748 - Math.floor(r() * 864000);
  const first = Math.floor(r() * (NNODES - nodes));
  const vnodes = Array.from(
    { length: nodes },
    (_, k) => `(${nodeName(first + k)}:ncpus=208:ngpus=6)`,
  ).join('+');
  const hosts = Array.from({ length: nodes }, (_, k) => `${nodeName(first + k)}/0*208`).join('+');
  const I = '            ';
  const L = [];
  const a = (k, v) => L.push(`${I}${q(k)}:${v}`);
  a('Job_Name', q(defects ? `run_\u00e9t\u00e9_${i}` : `run_${i}`));
  a('Job_Owner', q(`${user}@${UAN}`));
  if (state !== 'Q' && state !== 'H') {
    L.push(
      `${I}"resources_used":{\n${I}    "cpupercent":${Math.floor(r() * 20000)},\n${I}    "cput":"${Math.floor(r() * 90000)}:12:09",\n${I}    "mem":"${Math.floor(r() * 9e8)}kb",\n${I}    "ncpus":${nodes * 208},\n${I}    "vmem":"${Math.floor(r() * 9e8)}kb",\n${I}    "walltime":"0${Math.floor(r() * 9)}:27:53"\n${I}}`,
    );
  }
  a('job_state', q(state));
  a('queue', q(r() < 0.7 ? 'prod' : 'debug'));
  a('server', q(SERVER));
  a('Account_Name', q(`Project${i % 300}`));
  a('Checkpoint', q('u'));
  a('ctime', q(ctime(t0)));
  a('Error_Path', q(`${UAN}:/lus/flare/projects/Project${i % 300}/${user}/runs/run_${i}/job.err`));
  if (state === 'R' || state === 'F') {
    a('exec_host', q(hosts));
    a('exec_vnode', q(vnodes));
  }
  for (const [k, v] of [
    ['Hold_Types', 'n'],
    ['Join_Path', 'oe'],
    ['Keep_Files', 'doe'],
    ['Mail_Points', 'a'],
  ])
    a(k, q(v));
  a('mtime', q(ctime(t0 + 3600)));
  a('Output_Path', q(`${UAN}:/lus/flare/projects/Project${i % 300}/${user}/runs/run_${i}/job.out`));
  a('Priority', '0');
  a('qtime', q(ctime(t0 + 1)));
  a('Rerunable', q('False'));
  const rl = {
    allow_account_check_failure: q('True'),
    award_category: q('INCITE'),
    backfill_factor: '84600',
    base_score: '0',
    burn_ratio: '0.1613',
    current_allocation: '18115594240',
    enable_backfill: '1',
    filesystems: q('flare_fs:home_fs'),
    ncpus: String(nodes * 208),
    ngpus: String(nodes * 6),
    nodect: String(nodes),
    place: q('scatter'),
    select: nodes % 3 === 0 ? String(nodes) : q(`${nodes}:ncpus=208:ngpus=6`),
    total_cpus: '10624',
    walltime: q(`0${1 + Math.floor(r() * 5)}:00:00`),
  };
  if (defects) rl.pset = q('group_id=""').replace(/\\"/g, '"');
  L.push(
    `${I}"Resource_List":{\n${Object.entries(rl)
      .map(([k, v]) => `${I}    ${q(k)}:${v}`)
      .join(',\n')}\n${I}}`,
  );
  a('substate', state === 'R' ? '42' : state === 'F' ? '92' : '10');
  const env = [
    ['PBS_O_HOME', `/home/${user}`],
    ['PBS_O_LANG', 'en_US.UTF-8'],
    ['PBS_O_LOGNAME', user],
    [
      'PBS_O_PATH',
      '/opt/clmgr/sbin:/opt/clmgr/bin:/usr/local/bin:/usr/bin:/bin:/opt/pbs/bin:/sbin',
    ],
    ['PBS_O_MAIL', `/var/spool/mail/${user}`],
    ['PBS_O_SHELL', '/bin/bash'],
    ['PBS_O_INTERACTIVE_AUTH_METHOD', 'resvport'],
    ['PBS_O_HOST', UAN],
    ['PBS_O_WORKDIR', `/lus/flare/projects/Project${i % 300}/${user}/runs/run_${i}`],
    ['PBS_O_SYSTEM', 'Linux'],
    ['PBS_O_QUEUE', 'prod'],
    ['PBS_JOBID_SHORT', `${6_000_000 + i}.aurora`],
    ['MODULEPATH', '/opt/aurora/24.180.3/modulefiles:/opt/cray/pe/lmod/modulefiles/core'],
    ['LANG', 'en_US.UTF-8'],
    ['OMP_NUM_THREADS', 4],
    ['NRANKS', nodes * 12],
    ['CUDA_VISIBLE_DEVICES', ''],
    ['ZE_FLAT_DEVICE_HIERARCHY', 'FLAT'],
    ['FI_CXI_DEFAULT_CQ_SIZE', 131072],
    ['MPICH_GPU_SUPPORT_ENABLED', 1],
    ['HOSTNAME', UAN],
    ['SHLVL', 1],
    ['CONDA_PREFIX', `/home/${user}/miniconda3/envs/run`],
    ['XDG_RUNTIME_DIR', `/run/user/${10000 + (i % 800)}`],
    ['TMPDIR', '/tmp'],
    ['SEED', Math.floor(r() * 1e9)],
    ['PWD', `/home/${user}`],
    ['EDITOR', 'vim'],
    [
      'PBS_HOOK_RESOURCES',
      'eJylUsty2zAM/CFPh5QlP8LRLZ/QO4eiIJsNJSggadd/X9CUE6k91idjsQQWuwpANyDdGwwa56CH0EoVVuAMNGRUbNDExYY7eEOwQS5gP3Dz8orjlnIz3vV6cB7CI0QYQ7tQdq9x',
    ],
    ['USER', user],
  ];
  const envLines = env.map(([k, v]) => `${I}    ${q(k)}:${typeof v === 'number' ? v : q(v)}`);
  if (defects)
    envLines.push(
      `${I}    "NUM":007`,
      `${I}    "DOM":"MYDOMAIN\\${user}"`,
      `${I}    "SQ":"it\\'s"`,
    );
  L.push(`${I}"Variable_List":{\n${envLines.join(',\n')}\n${I}}`);
  if (state === 'H') a('comment', q('job held, too many failed attempts to run'));
  else if (state === 'Q')
    a('comment', q('Not Running: Insufficient amount of resource: ncpus (R: 208 A: 0 T: 2209792)'));
  else
    a('comment', q(`Job run at Mon Jul 14 at 10:11 on (${nodeName(first)}:ncpus=208:ngpus=6)+...`));
  a('etime', q(ctime(t0 + 1)));
  a('run_count', state === 'Q' ? '0' : '1');
  a('eligible_time', q(`${Math.floor(r() * 3000)}:06:18`));
  if (state === 'F') {
    a('Exit_status', r() < 0.1 ? '-29' : '0');
    a('history_timestamp', String(t0 + 7200));
    a('stime', q(ctime(t0 + 600)));
    a('obittime', q(ctime(t0 + 7200)));
  } else if (state === 'R') a('stime', q(ctime(t0 + 600)));
  if (state === 'Q')
    L.push(
      `${I}"estimated":{\n${I}    "exec_vnode":${q(vnodes.slice(0, 200))},\n${I}    "start_time":${q(ctime(t0 + 86400))}\n${I}}`,
    );
  a(
    'Submit_arguments',
    q(`-l select=${nodes} -l walltime=01:00:00 -A Project${i % 300} -q prod job.sh`),
  );
  a('project', q(`Project${i % 300}`));
  a('Submit_Host', q(UAN));
  return `        ${q(id)}:{\n${L.join(',\n')}\n        }`;
}

function jobsDoc(defects) {
  const r = rng(20250717);
  const parts = [];
  for (let i = 0; i < NJOBS; i++) parts.push(job(i, r, defects));
  const head = `{\n    "timestamp":1752784748,\n    "pbs_version":"2022.1.7.20241004133957",\n    "pbs_server":${q(SERVER)},\n    "Jobs":{\n`;
  const text = `${head}${parts.join(',\n')}\n    }\n}\n`;
  // Old PBS prints Latin-1 bytes where the name had them: encode the names that way for the defect case.
  return defects ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

function nodesDoc() {
  const r = rng(10624);
  const parts = [];
  for (let i = 0; i < NNODES; i++) {
    const name = nodeName(i);
    const busy = r() < 0.8;
    const I = '            ';
    const assigned = busy
      ? `{\n${I}    "mem":"${Math.floor(r() * 1e9)}kb",\n${I}    "ncpus":208,\n${I}    "ngpus":6\n${I}}`
      : `{\n${I}}`;
    parts.push(
      `        ${q(name)}:{\n${I}"Mom":${q(`${name}.hostmgmt2000.cm.aurora.alcf.anl.gov`)},\n${I}"Port":15002,\n${I}"pbs_version":"2022.1.7.20241004133957",\n${I}"ntype":"PBS",\n${I}"state":${q(busy ? 'job-exclusive' : r() < 0.5 ? 'free' : 'offline,down')},\n${I}"pcpus":208,\n` +
        (busy ? `${I}"jobs":[${q(`${6_000_000 + Math.floor(r() * NJOBS)}.${SERVER}/0`)}],\n` : '') +
        `${I}"resources_available":{\n${I}    "arch":"linux",\n${I}    "host":${q(name)},\n${I}    "mem":"1056335440kb",\n${I}    "ncpus":208,\n${I}    "ngpus":6,\n${I}    "vnode":${q(name)},\n${I}    "at_queue":"lustre_scaling,prod,debug",\n${I}    "broken":"False",\n${I}    "validation":"True"\n${I}},\n` +
        `${I}"resources_assigned":${assigned},\n${I}"resv_enable":"True",\n${I}"sharing":"force_exclhost",\n${I}"license":"l",\n${I}"last_state_change_time":${1752784748 - Math.floor(r() * 1e6)},\n${I}"last_used_time":${1752784748 - Math.floor(r() * 1e5)}\n        }`,
    );
  }
  return Buffer.from(
    `{\n    "timestamp":1752784748,\n    "pbs_version":"2022.1.7.20241004133957",\n    "pbs_server":${q(SERVER)},\n    "nodes":{\n${parts.join(',\n')}\n    }\n}\n`,
  );
}

function vmRss() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

/** child: one measurement on one file; prints JSON {ms, peakDelta, repairs} */
async function child(mode, file) {
  const mod = await import(PARSE);
  const before = vmRss();
  const buf = readFileSync(file);
  const fns = {
    'json-parse': () => JSON.parse(buf.toString('utf8')),
    fast: () => mod.readPbsJson(buf, 'qstat -f -F json'),
    jobs: () => mod.parseJobs(buf, { timezone: 'America/Chicago' }),
    nodes: () => mod.parseNodes(buf),
    tolerant: () => mod.readPbsJson(buf, 'qstat -f -F json'),
    'tolerant-jobs': () => mod.parseJobs(buf, { timezone: 'America/Chicago' }),
  };
  let out;
  let cpuMs = Infinity;
  let firstPeak = 0;
  const ms = await best(() => {
    out = undefined;
    globalThis.gc?.();
    const c = process.cpuUsage();
    out = fns[mode]();
    const d = process.cpuUsage(c);
    cpuMs = Math.min(cpuMs, (d.user + d.system) / 1000);
    // A CLI run parses once; the later runs start with the young generation V8 grew for the first.
    firstPeak ||= peakRss() - before;
  }, 3);
  // The reader lists at most 10,000 repairs and counts the rest in a final `more-repairs` entry.
  const list = out?.repairs ?? [];
  const last = list[list.length - 1];
  const repairs =
    last?.kind === 'more-repairs'
      ? list.length - 1 + Number(/^\d+/.exec(last.detail)?.[0] ?? 0)
      : list.length;
  console.log(
    JSON.stringify({
      ms,
      cpuMs,
      bytes: buf.length,
      peakDelta: peakRss() - before,
      firstPeak,
      repairs,
    }),
  );
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'pbs-bench-'));
  try {
    const files = {
      jobs: join(dir, 'jobs.json'),
      bad: join(dir, 'jobs-defects.json'),
      nodes: join(dir, 'nodes.json'),
    };
    writeFileSync(files.jobs, jobsDoc(false));
    writeFileSync(files.bad, jobsDoc(true));
    writeFileSync(files.nodes, nodesDoc());
    const run = (mode, file) => {
      const r = spawnSync(process.execPath, ['--expose-gc', SELF, '--child', mode, file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (r.status !== 0) throw new Error(`${mode}: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop());
    };
    // The wall clock is shared with whatever else runs; CPU time (user + sys) is the steadier figure.
    const rate = (m) =>
      `${(m.bytes / 1024 / 1024 / (m.ms / 1000)).toFixed(0)} / ${(m.bytes / 1024 / 1024 / (m.cpuMs / 1000)).toFixed(0)} MB/s`;
    row('machine: cores / load average (1 min)', `${cpus().length} / ${loadavg()[0].toFixed(1)}`);
    row('rates below: wall / CPU-time', '');
    // The aim is on one parse, as a CLI run or one collection makes; the figure in brackets is the
    // peak after three parses in one process, where V8 has grown its young generation for the first.
    const mem = (m) =>
      `${(m.firstPeak / m.bytes).toFixed(2)}x (after 3 parses ${(m.peakDelta / m.bytes).toFixed(2)}x)`;
    const jp = run('json-parse', files.jobs);
    row(`qstat -f -F json input (${NJOBS} jobs)`, mb(jp.bytes));
    row('JSON.parse (utf8 decode + parse)', rate(jp));
    const fast = run('fast', files.jobs);
    row('readPbsJson fast path', rate(fast));
    row(
      '  fast path / JSON.parse (wall; CPU time)',
      `${(fast.ms / jp.ms).toFixed(2)}x; ${(fast.cpuMs / jp.cpuMs).toFixed(2)}x`,
      '≤ 1.2x',
    );
    const jobs = run('jobs', files.jobs);
    row('parseJobs (to Job models, America/Chicago)', rate(jobs));
    row('  parseJobs peak RSS growth / input size', mem(jobs), '≤ 4x');
    const tol = run('tolerant', files.bad);
    row(
      `readPbsJson tolerant path (${tol.repairs} repairs; input ${mb(tol.bytes)})`,
      rate(tol),
      '≥ 50 MB/s',
    );
    row('  tolerant peak RSS growth / input size', mem(tol), '≤ 4x');
    const tolJobs = run('tolerant-jobs', files.bad);
    row('parseJobs on the defective input', rate(tolJobs));
    const nodes = run('nodes', files.nodes);
    row(`pbsnodes -a -F json input (${NNODES} nodes)`, mb(nodes.bytes));
    row('parseNodes', rate(nodes));
    row('  parseNodes peak RSS growth / input size', mem(nodes), '≤ 4x');
    row('  fast path peak RSS growth / input size', mem(fast), '≤ 4x');
    row('  JSON.parse peak RSS growth / input size (reference)', mem(jp));
    // Start-up: best of 10 for `--help` and for a bare `node -e 0`; the difference is the program's own share.
    const bestSpawn = (args) => {
      let min = Infinity;
      let failure = '';
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
        const ms = performance.now() - t;
        if (r.status === 0 && !/fatal/.test(r.stderr)) min = Math.min(min, ms);
        else failure = `${r.status}: ${r.stderr.split('\n')[0]}`;
      }
      return { min, failure };
    };
    const bare = bestSpawn(['-e', '0']);
    const help = bestSpawn([join(ROOT, 'dist/main.js'), '--help']);
    row('machine load average (1 min) before start-up runs', loadavg()[0].toFixed(1));
    row(
      'node dist/main.js --help (best of 10)',
      Number.isFinite(help.min) ? `${help.min.toFixed(0)} ms` : 'failed',
      '≤ 150 ms',
    );
    if (!Number.isFinite(help.min))
      console.log(`  (dist/main.js --help failed: exit ${help.failure})`);
    row('node -e 0 (best of 10)', `${bare.min.toFixed(0)} ms`);
    row('  --help own share (help − bare node)', `${(help.min - bare.min).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
