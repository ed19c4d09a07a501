import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advance,
  readNodeTruth,
  readResvTruth,
  readTruth,
  type TruthJob,
} from '../../src/emulator/api.js';
import { ZoneClock } from '../../src/emulator/timefmt.js';
import { pbs, tempCluster } from './_cluster.js';

interface Seen {
  at: number;
  job_state: string;
  substate: number;
  ctime: string;
  etime?: string;
  stime?: string;
  obittime?: string;
  history_timestamp?: number;
  Exit_status?: number;
  run_count?: number;
  comment?: string;
  queue: string;
}

const TZ = 'America/Chicago';
const zone = new ZoneClock(TZ);
const seen = new Map<string, Seen[]>();
const visibleAt: [number, Set<string>][] = [];
let truth: TruthJob[] = [];
let cleanup = (): void => {};
let dir = '';

beforeAll(() => {
  const c = tempCluster({ preset: 'small', seed: 11, historyHours: 6, timezone: TZ });
  dir = c.dir;
  cleanup = c.cleanup;
  // One emulated week, 15 minutes at a time, recording everything qstat -x -f -F json -t printed.
  for (let step = 0; step < 7 * 96; step++) {
    const now = advance(dir, 900);
    const doc = JSON.parse(pbs(dir, 'qstat', '-x', '-f', '-F', 'json', '-t').out) as {
      timestamp: number;
      Jobs?: Record<string, Record<string, unknown>>;
    };
    expect(doc.timestamp).toBe(now);
    const ids = new Set<string>();
    for (const [id, a] of Object.entries(doc.Jobs ?? {})) {
      ids.add(id);
      const list = seen.get(id) ?? [];
      list.push({ at: now, ...(a as unknown as Omit<Seen, 'at'>) });
      seen.set(id, list);
    }
    visibleAt.push([now, ids]);
  }
  truth = readTruth(dir);
}, 600_000);

afterAll(() => cleanup());

function stateAt(t: TruthJob, at: number): { state: string; substate: number } | undefined {
  let last: { state: string; substate: number } | undefined;
  for (const x of t.transitions) if (x.at <= at) last = x;
  return last;
}

describe('emulator truth against what qstat printed (small preset, one week in 15-minute steps)', () => {
  it('matches every printed job: state, substate, times, exit status and run count', () => {
    const byId = new Map(truth.map((t) => [t.job_id, t]));
    const bad: string[] = [];
    const check = (id: string, at: number, what: string, got: unknown, want: unknown): void => {
      if (got !== want && bad.length < 20)
        bad.push(`${id} at ${at}: ${what} printed ${String(got)}, truth ${String(want)}`);
    };
    let checked = 0;
    for (const [id, list] of seen) {
      const t = byId.get(id);
      if (!t) {
        bad.push(`${id} is not in truth`);
        continue;
      }
      for (const s of list) {
        const st = stateAt(t, s.at);
        check(id, s.at, 'state', `${s.job_state}/${s.substate}`, `${st?.state}/${st?.substate}`);
        check(id, s.at, 'ctime', s.ctime, zone.ctime(t.submit_time));
        if (s.etime !== undefined)
          check(id, s.at, 'etime', s.etime, zone.ctime(t.eligible_time as number));
        const runs = t.transitions.filter((x) => x.state === 'R' && x.at <= s.at);
        check(id, s.at, 'run_count', s.run_count ?? 0, t.is_array_parent ? 0 : runs.length);
        if (s.stime !== undefined && !t.is_array_parent)
          check(id, s.at, 'stime', s.stime, zone.ctime(runs.at(-1)?.at as number));
        if (s.job_state === 'F') {
          check(id, s.at, 'queue', s.queue, t.queue);
          check(id, s.at, 'history_timestamp', s.history_timestamp, t.end_time);
          check(
            id,
            s.at,
            'obittime',
            s.obittime,
            t.start_time !== null && t.final_substate !== 91
              ? zone.ctime(t.end_time as number)
              : s.obittime,
          );
          check(id, s.at, 'Exit_status', s.Exit_status ?? null, t.exit_status);
          check(id, s.at, 'run_count (final)', t.run_count, runs.length);
        }
        checked++;
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(20_000);
  });

  it('shows a job exactly while it exists and hides it from the instant purged_at says', () => {
    for (const [at, ids] of visibleAt) {
      for (const t of truth) {
        const exists = t.submit_time <= at && (t.purged_at === null || t.purged_at > at);
        if (exists !== ids.has(t.job_id))
          throw new Error(
            `${t.job_id} at ${at}: exists=${exists} visible=${ids.has(t.job_id)} purged_at=${t.purged_at}`,
          );
      }
    }
    const purged = truth.filter((t) => t.purged_at !== null);
    expect(purged.length).toBeGreaterThan(100);
    const byId = new Map(truth.map((t) => [t.job_id, t]));
    // Subjobs are purged with their parent, so their purge follows the parent's end.
    const wrong = purged.filter(
      (t) =>
        t.purged_at !==
        ((t.array_parent ? byId.get(t.array_parent)?.end_time : t.end_time) as number) + 6 * 3600,
    );
    expect(wrong).toEqual([]);
  });

  it('produced every lifecycle a monitor must handle', () => {
    const has = (name: string, pred: (t: TruthJob) => boolean): void => {
      expect(truth.some(pred), name).toBe(true);
    };
    const seq = (t: TruthJob) => t.transitions.map((x) => x.state).join('');
    has(
      'Q→R→E→F finished',
      (t) =>
        /QRE F$/.test(seq(t).replace(/F$/, ' F')) && t.final_substate === 92 && t.exit_status === 0,
    );
    has(
      'held then released',
      (t) =>
        t.transitions.some((x) => x.state === 'H' && x.substate === 20) && seq(t).includes('HQ'),
    );
    has(
      'waiting for its execution time',
      (t) => t.transitions[0]?.state === 'W' && seq(t).includes('WQ'),
    );
    has(
      'dependency hold released',
      (t) =>
        t.transitions.some((x) => x.state === 'H' && x.substate === 22) && seq(t).includes('HQR'),
    );
    has(
      'array parent begun and finished',
      (t) =>
        t.is_array_parent && seq(t).includes('B') && t.final_state === 'F' && t.exit_status === 0,
    );
    has('expired subjob', (t) => t.array_parent !== null && seq(t).endsWith('XF'));
    has(
      'deleted while queued',
      (t) => t.final_substate === 91 && t.start_time === null && t.exit_status === null,
    );
    has('deleted while running', (t) => t.final_substate === 91 && t.exit_status === 271);
    has('killed at walltime', (t) => t.exit_status === -29 && t.final_substate === 93);
    has(
      'failed',
      (t) =>
        t.exit_status !== null &&
        t.exit_status > 0 &&
        t.exit_status !== 271 &&
        t.final_substate === 93,
    );
    has('requeued', (t) => t.run_count > 1 && seq(t).includes('RQ'));
    has('moved by a route queue', (t) => new Set(t.transitions.map((x) => x.queue)).size > 1);
    const nodes = readNodeTruth(dir);
    expect(nodes.some((n) => n.state === 'down')).toBe(true);
    expect(nodes.some((n) => n.state.startsWith('offline') && n.comment !== null)).toBe(true);
    const back = nodes.find((n) => n.state === 'free');
    expect(
      back && nodes.some((n) => n.node === back.node && n.state !== 'free' && n.at < back.at),
    ).toBe(true);
    const resvs = readResvTruth(dir);
    const ran = resvs.filter((r) => r.state === 'RESV_FINISHED').map((r) => r.id);
    expect(
      ran.some(
        (id) => id.startsWith('R') && resvs.some((r) => r.id === id && r.state === 'RESV_RUNNING'),
      ),
    ).toBe(true);
    expect(ran.filter((id) => id.startsWith('S')).length).toBeGreaterThan(1);
  });

  it('printed the walltime kill the way PBS writes it', () => {
    const killed = [...seen.values()]
      .flat()
      .find((s) => s.job_state === 'F' && s.Exit_status === -29);
    expect(killed?.comment).toMatch(
      /^Job run at \w{3} \w{3} \d\d at \d\d:\d\d on \(.*\) and exceeded resource walltime$/,
    );
  });
});
