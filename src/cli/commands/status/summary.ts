/** The numbers behind `status`, computed from server, queue and node data (pure). */
import type { Node, Queue, Server } from '../../../pbs/types.js';

export interface Usage {
  assigned: number;
  available: number;
  total: number;
}

export interface StatusSummary {
  server: {
    name: string | null;
    version: string | null;
    state: string | null;
    total_jobs: number | null;
    job_history_enable: boolean | null;
    /** seconds finished jobs stay in PBS; PBS's default (2 weeks) when history is on and unset */
    job_history_duration_s: number | null;
  };
  nodes_total: number;
  nodes_by_state: Record<string, number>;
  jobs_by_state: Record<string, number>;
  queues: Array<{ name: string; queued: number; running: number; held: number; total: number }>;
  utilization: { nodes: Usage; cores: Usage; gpus: Usage };
}

/** PBS's default job_history_duration: two weeks. */
export const DEFAULT_HISTORY_DURATION = 14 * 86400;
const UNAVAILABLE =
  /down|offline|unknown|stale|unresolvable|maintenance|provisioning|initializing|sleep/i;

/** Whether a node can take jobs at all (not down, offline, …). */
export function nodeAvailable(n: Node): boolean {
  return n.states.length > 0 && !n.states.some((s) => UNAVAILABLE.test(s));
}

/** Whether a node runs anything. */
export function nodeInUse(n: Node): boolean {
  return (
    n.jobs.length > 0 ||
    (n.ncpusAssigned ?? 0) > 0 ||
    (n.ngpusAssigned ?? 0) > 0 ||
    n.states.some((s) => /job-busy|job-exclusive|job-sharing|resv-exclusive/.test(s))
  );
}

/** Builds the status summary. */
export function summarize(server: Server | null, queues: Queue[], nodes: Node[]): StatusSummary {
  const nodesByState: Record<string, number> = {};
  for (const n of nodes) {
    const k = n.states.join(',') || 'unknown';
    nodesByState[k] = (nodesByState[k] ?? 0) + 1;
  }
  const jobsByState: Record<string, number> = {};
  for (const [k, v] of Object.entries(server?.stateCount ?? {})) jobsByState[k.toLowerCase()] = v;
  const usage = (pick: (n: Node) => [number, number]): Usage => {
    let assigned = 0;
    let available = 0;
    let total = 0;
    for (const n of nodes) {
      const [used, size] = pick(n);
      total += size;
      if (nodeAvailable(n)) {
        available += size;
        assigned += used;
      }
    }
    return { assigned, available, total };
  };
  const history = server?.jobHistoryEnable ?? null;
  return {
    server: {
      name: server?.name ?? null,
      version: server?.version ?? null,
      state: server?.state ?? null,
      total_jobs: server?.totalJobs ?? null,
      job_history_enable: history,
      job_history_duration_s:
        history === true ? (server?.jobHistoryDuration ?? DEFAULT_HISTORY_DURATION) : null,
    },
    nodes_total: nodes.length,
    nodes_by_state: nodesByState,
    jobs_by_state: jobsByState,
    queues: [...queues]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((q) => ({
        name: q.name,
        queued: q.stateCount.Queued ?? 0,
        running: q.stateCount.Running ?? 0,
        held: q.stateCount.Held ?? 0,
        total: q.totalJobs ?? 0,
      })),
    utilization: {
      nodes: usage((n) => [nodeInUse(n) ? 1 : 0, 1]),
      cores: usage((n) => [n.ncpusAssigned ?? 0, n.ncpus ?? 0]),
      gpus: usage((n) => [n.ngpusAssigned ?? 0, n.ngpus ?? 0]),
    },
  };
}
