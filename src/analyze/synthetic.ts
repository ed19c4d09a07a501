/**
 * A deterministic synthetic history generator: jobs (and optionally snapshots) written straight
 * into the database in big batches inside one transaction. Used by the analysis tests (which
 * compute expected figures independently from the returned jobs) and by the 1,000,000-job bench.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, JobsTable } from '../store/schema.js';

export interface SyntheticOptions {
  serverName?: string;
  jobs: number;
  /** history window [from, to), epoch seconds */
  from: number;
  to: number;
  seed?: number;
  /** rows per INSERT statement (SQLite allows ~32k bound values) */
  batchRows?: number;
  onProgress?(done: number): void;
}

export type SyntheticJob = Insertable<JobsTable>;

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUEUES = ['workq', 'debug', 'long', 'gpu'];
const WALLTIMES = [1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600];
const NODES = [1, 1, 1, 2, 2, 4, 8, 16, 32, 64];

/** Makes job i of a synthetic history (pure: same seed and index → same job). */
export function makeJob(
  rand: () => number,
  i: number,
  serverId: number,
  o: SyntheticOptions,
): SyntheticJob {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
  // skewed users: a few heavy users, a long tail
  const u = Math.floor(Math.pow(rand(), 2) * 50);
  const user = `user${String(u).padStart(2, '0')}`;
  // like real users: a home project (sometimes a second one) and a usual queue
  const project = `proj${(u * 7 + (rand() < 0.8 ? 0 : 1)) % 10}`;
  const queue = rand() < 0.7 ? (QUEUES[u % QUEUES.length] as string) : pick(QUEUES);
  const submit = o.from + Math.floor(rand() * (o.to - o.from));
  const held = rand() < 0.1 ? Math.floor(rand() * 7200) : 0;
  const eligible = submit + held;
  const scale = queue === 'debug' ? 300 : queue === 'long' ? 14400 : 3600;
  const wait = Math.floor(-Math.log(1 - rand()) * scale);
  const nodes = queue === 'debug' ? 1 : pick(NODES);
  const wreq = queue === 'debug' ? 1800 : pick(WALLTIMES);
  const killed = rand() < 0.08;
  const runtime = killed ? wreq + Math.floor(rand() * 60) : Math.max(1, Math.floor(rand() * wreq));
  let start: number | null = eligible + wait;
  let end: number | null = start + runtime;
  if (start >= o.to) start = end = null;
  else if (end >= o.to) end = null;
  const r = rand();
  const exit = end === null ? null : killed ? -29 : r < 0.05 ? 1 : r < 0.07 ? 271 : 0;
  const ncpus = nodes * 128;
  const used = end !== null && start !== null ? Math.min(end - start, wreq) : null;
  const eff = 0.2 + rand() * 0.8;
  const cput = used !== null && rand() < 0.8 ? Math.floor(used * ncpus * eff) : null;
  const q = rand();
  const quality =
    end === null ? 'complete' : q < 0.04 ? 'partial' : q < 0.05 ? 'final_state_missed' : 'complete';
  const seq = i + 1;
  return {
    server_id: serverId,
    job_id: `${seq}.synth`,
    seq,
    name: `job${seq}`,
    owner: user,
    project,
    queue,
    state: start === null ? 'Q' : end === null ? 'R' : 'F',
    substate: null,
    is_array_parent: 0,
    array_parent_id: null,
    array_index: null,
    nodes,
    ncpus,
    ngpus: queue === 'gpu' ? nodes * 4 : 0,
    mem_bytes: null,
    walltime_requested_s: wreq,
    select_text: `${nodes}:ncpus=128`,
    place: 'scatter',
    submit_time: submit,
    queue_time: submit,
    eligible_time: eligible,
    start_time: start,
    end_time: end,
    end_time_estimated: quality === 'final_state_missed' ? 1 : 0,
    end_time_min: null,
    end_time_max: null,
    last_modified: end ?? start ?? submit,
    history_timestamp: end,
    exit_status: exit,
    run_count: start === null ? 0 : 1,
    exec_hosts: null,
    walltime_used_s: used,
    cput_used_s: cput,
    mem_used_bytes: null,
    comment: null,
    final_state_recorded: end !== null && quality === 'complete' ? 1 : 0,
    lifecycle_quality: quality,
    first_seen: submit,
    last_seen: end ?? o.to,
    raw_attrs: null,
    raw_hash: null,
  };
}

/** Ensures the server row exists and returns its id. */
export async function ensureServer(
  db: Kysely<Database>,
  name: string,
  now: number,
): Promise<number> {
  const found = await db
    .selectFrom('servers')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirst();
  if (found) return Number(found.id);
  const ins = await db
    .insertInto('servers')
    .values({
      name,
      version: 'synthetic',
      history_duration_s: 1209600,
      first_seen: now,
      last_seen: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(ins.id);
}

/**
 * Generates `o.jobs` jobs into the database (one transaction, batched INSERTs) and returns them
 * when `keep` is true (tests), else an empty array (the bench's million jobs stay out of memory).
 */
export async function generateJobs(
  db: Kysely<Database>,
  o: SyntheticOptions,
  keep = true,
): Promise<{ serverId: number; jobs: SyntheticJob[] }> {
  const rand = rng(o.seed ?? 42);
  const batch = o.batchRows ?? 500;
  const kept: SyntheticJob[] = [];
  let serverId = 0;
  await db.transaction().execute(async (trx) => {
    serverId = await ensureServer(trx, o.serverName ?? 'synth', o.from);
    let buf: SyntheticJob[] = [];
    for (let i = 0; i < o.jobs; i++) {
      const j = makeJob(rand, i, serverId, o);
      buf.push(j);
      if (keep) kept.push(j);
      if (buf.length === batch || i === o.jobs - 1) {
        await trx.insertInto('jobs').values(buf).execute();
        buf = [];
        o.onProgress?.(i + 1);
      }
    }
  });
  return { serverId, jobs: kept };
}
