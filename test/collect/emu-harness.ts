/**
 * The fidelity harness: an emulated cluster (pbs-emu), the REAL PBS client over a runner that
 * calls the emulator's commands in-process (same code as its qstat/pbsnodes/qselect executables),
 * and a comparison of the database with the emulator's ground truth.
 */
import type { Kysely } from 'kysely';
import { createPbsClient } from '../../src/pbs/client.js';
import type { PbsRunner } from '../../src/pbs/runner.js';
import type { CommandTiming } from '../../src/pbs/client-types.js';
import { describeFailure } from '../../src/pbs/command-failure.js';
import { runPbsCommand, type TruthJob } from '../../src/emulator/api.js';
import { defaultConfig, type Config } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';
import type { Database } from '../../src/store/schema.js';

export const EMU_TZ = 'America/Chicago';

/** A runner over the emulator in `dir`; `down` makes every command fail as a down server does. */
export function emulatorRunner(dir: string, state: { down: boolean } = { down: false }): PbsRunner {
  const timings: CommandTiming[] = [];
  return {
    async run(command, args) {
      const t0 = performance.now();
      const r = state.down
        ? {
            stdout: '',
            stderr: `${command}: cannot connect to server pbs-small (errno=15010)\n`,
            code: 255,
          }
        : runPbsCommand(command, dir, args, { TZ: EMU_TZ, LC_ALL: 'C' });
      const stdout = Buffer.isBuffer(r.stdout) ? r.stdout : Buffer.from(r.stdout);
      const ms = performance.now() - t0;
      timings.push({ command: [command, ...args].join(' '), ms, bytes: stdout.length });
      if (r.code !== 0)
        throw describeFailure([command, ...args].join(' '), r.code, r.stderr, stdout);
      return { stdout, stderr: r.stderr, ms };
    },
    takeTimings: () => timings.splice(0),
  };
}

export function emuConfig(): Config {
  const config = defaultConfig();
  config.pbs.timezone = EMU_TZ;
  config.collection.retry = { attempts: 1, base_delay: 0, max_delay: 0 };
  return config;
}

export function emulatorClient(dir: string, state?: { down: boolean }) {
  return createPbsClient({
    config: emuConfig(),
    env: {},
    logger: silentLogger(),
    runner: emulatorRunner(dir, state),
  });
}

export interface Mismatch {
  job_id: string;
  problem: string;
}

/** Compares every truth job with the database; `expectAbsent` lists ids that must not be stored. */
export async function compareWithTruth(
  db: Kysely<Database>,
  truth: TruthJob[],
  opts: { firstRun: number; resumeAt?: number | null },
): Promise<{ mismatches: Mismatch[]; checked: number; missed: string[]; absent: string[] }> {
  const rows = await db.selectFrom('jobs').selectAll().execute();
  const hist = await db
    .selectFrom('job_history')
    .select(['job_row_id', 'to_state', 'event_time'])
    .orderBy('id')
    .execute();
  const byRow = new Map<number, { to_state: string; event_time: number | null }[]>();
  for (const h of hist) {
    const k = Number(h.job_row_id);
    if (!byRow.has(k)) byRow.set(k, []);
    byRow.get(k)!.push({
      to_state: h.to_state,
      event_time: h.event_time === null ? null : Number(h.event_time),
    });
  }
  const stored = new Map(rows.map((r) => [r.job_id, r]));
  const mismatches: Mismatch[] = [];
  const missed: string[] = [];
  const absent: string[] = [];
  const truthIds = new Set(truth.map((t) => t.job_id));
  const truthById = new Map(truth.map((t) => [t.job_id, t]));
  if (stored.size !== rows.length) mismatches.push({ job_id: '*', problem: 'duplicate job rows' });
  for (const r of rows)
    if (!truthIds.has(r.job_id)) mismatches.push({ job_id: r.job_id, problem: 'phantom job' });
  let checked = 0;
  for (const t of truth) {
    // PBS had forgotten it before our first run: nobody could have recorded it
    if (t.purged_at !== null && t.purged_at <= opts.firstRun) continue;
    const r = stored.get(t.job_id);
    if (!r) {
      absent.push(t.job_id);
      // only a job PBS purged before we could look again may be absent
      if (!opts.resumeAt || t.purged_at === null || t.purged_at > opts.resumeAt)
        mismatches.push({ job_id: t.job_id, problem: 'absent though PBS still had it' });
      continue;
    }
    checked++;
    const bad = (problem: string) => mismatches.push({ job_id: t.job_id, problem });
    if (r.lifecycle_quality === 'final_state_missed') {
      missed.push(t.job_id);
      // only a job PBS purged before we could look again may be missed, and its estimate
      // bounds must hold the true end
      if (!opts.resumeAt || t.purged_at === null || t.purged_at > opts.resumeAt)
        bad('missed though PBS still had it');
      if (Number(r.end_time_estimated) !== 1) bad('missed without an estimate');
      if (
        t.end_time !== null &&
        !(Number(r.end_time_min) <= t.end_time && t.end_time <= Number(r.end_time_max))
      )
        bad(`true end ${t.end_time} outside [${r.end_time_min}, ${r.end_time_max}]`);
      continue;
    }
    // a subjob that expired (X) before its array was purged unseen never shows PBS's later F
    const parent = t.array_parent ? truthById.get(t.array_parent) : undefined;
    if (
      r.state === 'X' &&
      t.final_state === 'F' &&
      parent &&
      opts.resumeAt &&
      parent.purged_at !== null &&
      parent.purged_at <= opts.resumeAt
    ) {
      const ends = t.transitions.find((x) => x.state === 'X');
      if (Number(r.end_time) !== t.end_time || !ends) bad('expired subjob end differs');
      continue;
    }
    const final = t.final_state === 'F' || t.final_state === 'X' || t.final_state === 'M';
    if (r.state !== t.final_state) bad(`state ${r.state} != ${t.final_state}`);
    if (final && Number(r.final_state_recorded) !== 1) bad('final not recorded');
    if ((r.exit_status === null ? null : Number(r.exit_status)) !== t.exit_status)
      bad(`exit ${r.exit_status} != ${t.exit_status}`);
    if (Number(r.submit_time) !== t.submit_time) bad(`submit ${r.submit_time} != ${t.submit_time}`);
    if ((r.start_time === null ? null : Number(r.start_time)) !== t.start_time)
      bad(`start ${r.start_time} != ${t.start_time}`);
    // the truth dates only F ends; an expired (X) subjob ended at its X transition
    const trueEnd =
      t.final_state === 'X' ? (t.transitions.find((x) => x.state === 'X')?.at ?? null) : t.end_time;
    if (final && (r.end_time === null ? null : Number(r.end_time)) !== trueEnd)
      bad(`end ${r.end_time} != ${trueEnd}`);
    if (Number(r.end_time_estimated) !== 0) bad('end estimated');
    if (Number(r.run_count) !== t.run_count) bad(`run_count ${r.run_count} != ${t.run_count}`);
    // transitions: in truth's order, each dated one at a truth instant of that state
    const ours = byRow.get(Number(r.id)) ?? [];
    let i = 0;
    for (const o of ours) {
      while (i < t.transitions.length && t.transitions[i]!.state !== o.to_state) i++;
      if (i >= t.transitions.length) {
        bad(
          `transition ${o.to_state} out of order or unknown (${ours.map((x) => x.to_state).join(',')} vs ${t.transitions.map((x) => x.state).join(',')})`,
        );
        break;
      }
      if (
        o.event_time !== null &&
        !t.transitions.some((x) => x.state === o.to_state && x.at === o.event_time)
      )
        bad(
          `transition ${o.to_state} at ${o.event_time} is at no truth instant (${JSON.stringify(t.transitions.map((x) => [x.state, x.at, x.queue]))} submit ${t.submit_time})`,
        );
    }
    if (final && ours[ours.length - 1]?.to_state !== t.final_state)
      bad('last transition is not the final state');
  }
  return { mismatches, checked, missed, absent };
}
