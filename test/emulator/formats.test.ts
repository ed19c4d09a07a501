import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, runPbsCommand } from '../../src/emulator/api.js';
import {
  parseJobs,
  parseNodes,
  parseQueues,
  parseReservations,
  parseServer,
} from '../../src/pbs/parse/index.js';
import { FIXTURES, SHARED_SAMPLES } from '../helpers/paths.js';
import { jsonType, pbs, tempCluster } from './_cluster.js';

type Obj = Record<string, unknown>;
const FIX = join(FIXTURES, 'emulator');
const AURORA = join(SHARED_SAMPLES, 'jtchilders-pbs_monitor');
const TZ = 'America/Chicago';

let dir = '';
let cleanup = (): void => {};
let jobsText = '';
beforeAll(() => {
  const c = tempCluster({ preset: 'small', seed: 5, historyHours: 24, timezone: TZ });
  dir = c.dir;
  cleanup = c.cleanup;
  advance(dir, 3 * 3600);
  jobsText = pbs(dir, 'qstat', '-x', '-f', '-F', 'json', '-t').out;
});
afterAll(() => cleanup());

/** attribute → set of JSON types, per job state, over every job of a document */
function typesByState(
  doc: Obj,
  collection: string,
  stateKey = 'job_state',
): Map<string, Map<string, Set<string>>> {
  const out = new Map<string, Map<string, Set<string>>>();
  for (const a of Object.values((doc[collection] ?? {}) as Record<string, Obj>)) {
    const st = String(a[stateKey] ?? '*');
    const m = out.get(st) ?? new Map<string, Set<string>>();
    for (const [k, v] of Object.entries(a)) {
      // The OpenPBS captures replaced changing values with the text "<various>".
      if (v === '<various>') continue;
      m.set(k, (m.get(k) ?? new Set()).add(jsonType(v)));
    }
    out.set(st, m);
  }
  return out;
}

/** Every attribute the emulator prints for a state that the real output also has must have a type the real output uses. */
function compareTypes(
  emu: Map<string, Map<string, Set<string>>>,
  real: Map<string, Map<string, Set<string>>>,
  anyState = false,
): string[] {
  const bad: string[] = [];
  const realAll = new Map<string, Set<string>>();
  for (const m of real.values())
    for (const [k, s] of m) realAll.set(k, new Set([...(realAll.get(k) ?? []), ...s]));
  for (const [st, m] of emu) {
    const r = anyState ? realAll : (real.get(st) ?? realAll);
    for (const [k, types] of m) {
      const want = r.get(k) ?? realAll.get(k);
      if (!want) continue;
      // select is a bare number or a string depending on what the user typed (both occur in real output).
      if (k === 'Resource_List' || k === 'select') continue;
      for (const t of types)
        if (!want.has(t)) bad.push(`${st}.${k}: ${t} (real: ${[...want].join('|')})`);
    }
  }
  return bad;
}

const read = (p: string): Obj => JSON.parse(readFileSync(p, 'utf8')) as Obj;

describe('emulator output formats', () => {
  it('uses the PBS Pro 2022 byte layout', () => {
    expect(jobsText.startsWith('{\n    "timestamp":')).toBe(true);
    expect(jobsText).toMatch(/\n {12}"Job_Name":"[^"]+",\n/);
    expect(jobsText).toMatch(
      /"ctime":"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}"/,
    );
    expect(jobsText.endsWith('        }\n    }\n}\n')).toBe(true);
    const nodes = pbs(dir, 'pbsnodes', '-a', '-F', 'json').out;
    expect(nodes).toMatch(/"resources_assigned":\{\n {12}\}/);
  });

  it('uses the OpenPBS cJSON tab layout with PBS_EMU_LAYOUT=cjson', () => {
    const out = runPbsCommand('qstat', dir, ['-f', '-F', 'json'], {
      PBS_EMU_LAYOUT: 'cjson',
    }).stdout.toString();
    expect(out.startsWith('{\n\t"timestamp":\t')).toBe(true);
    expect(out).toMatch(/\n\t\t\t"Job_Name":\t"/);
    // Same content; PBS Pro 2022 ends array_state_count with a space, OpenPBS 23.06 does not.
    const pro = pbs(dir, 'qstat', '-f', '-F', 'json')
      .out.replace('"2022.1.7.20241004133957"', '"23.06.06"')
      .replace(/(Expired:\d+) "/g, '$1"');
    expect(JSON.parse(out)).toEqual(JSON.parse(pro));
  });

  it('parses with the project parsers without repairs', () => {
    const doc = JSON.parse(jobsText) as { Jobs: Obj };
    const jobs = parseJobs(jobsText, { timezone: TZ });
    expect(jobs.repairs).toEqual([]);
    expect(jobs.items.length).toBe(Object.keys(doc.Jobs).length);
    const nodes = parseNodes(pbs(dir, 'pbsnodes', '-a', '-F', 'json').out, { timezone: TZ });
    expect([nodes.items.length, nodes.repairs]).toEqual([64, []]);
    const queues = parseQueues(pbs(dir, 'qstat', '-Q', '-f', '-F', 'json').out, { timezone: TZ });
    expect(queues.repairs).toEqual([]);
    expect(queues.items.length).toBeGreaterThanOrEqual(4);
    const server = parseServer(pbs(dir, 'qstat', '-B', '-f', '-F', 'json').out, { timezone: TZ });
    expect([server.items.length, server.repairs]).toEqual([1, []]);
    const resv = parseReservations(pbs(dir, 'pbs_rstat', '-f').out, { timezone: TZ });
    expect(resv.items.length).toBeGreaterThanOrEqual(1);
  });

  it('prints job attribute names and types like real OpenPBS (recorded fixtures)', () => {
    const real = typesByState(read(join(FIX, 't3-mid__qstat_xt_f_F_json.json')), 'Jobs');
    for (const [st, m] of typesByState(
      read(join(FIX, 't5-completed__qstat_xt_f_F_json.json')),
      'Jobs',
    ))
      real.set(st, new Map([...(real.get(st) ?? []), ...m]));
    const emu = typesByState(JSON.parse(jobsText) as Obj, 'Jobs');
    expect(compareTypes(emu, real)).toEqual([]);
    // The states a monitor meets are all present.
    for (const st of ['Q', 'R', 'F', 'H', 'B', 'X']) expect([...emu.keys()]).toContain(st);
  });

  it('prints node, queue and server attributes like real OpenPBS (recorded fixtures)', () => {
    const nodes = typesByState(
      JSON.parse(pbs(dir, 'pbsnodes', '-a', '-F', 'json').out) as Obj,
      'nodes',
      '-',
    );
    expect(
      compareTypes(
        nodes,
        typesByState(read(join(FIX, 't2-running__pbsnodes_a_F_json.json')), 'nodes', '-'),
        true,
      ),
    ).toEqual([]);
    const queues = typesByState(
      JSON.parse(pbs(dir, 'qstat', '-Q', '-f', '-F', 'json').out) as Obj,
      'Queue',
      '-',
    );
    expect(
      compareTypes(
        queues,
        typesByState(read(join(FIX, 't4-resv-running__qstat_Q_f_F_json.json')), 'Queue', '-'),
        true,
      ),
    ).toEqual([]);
    const server = typesByState(
      JSON.parse(pbs(dir, 'qstat', '-B', '-f', '-F', 'json').out) as Obj,
      'Server',
      '-',
    );
    expect(
      compareTypes(
        server,
        typesByState(read(join(FIX, 't2-running__qstat_B_f_F_json.json')), 'Server', '-'),
        true,
      ),
    ).toEqual([]);
  });

  it.skipIf(!existsSync(AURORA))(
    'prints job and queue attributes like the ALCF Aurora samples (names present in every sample job of a state, same types)',
    () => {
      const real = typesByState(read(join(AURORA, 'qstat_x_f_F_json-output.567e020.json')), 'Jobs');
      for (const [st, m] of typesByState(
        read(join(AURORA, 'qstat_x_f_F_json-output.c629ba2.json')),
        'Jobs',
      ))
        real.set(st, new Map([...(real.get(st) ?? []), ...m]));
      const emuDoc = JSON.parse(jobsText) as { Jobs: Record<string, Obj> };
      const emu = typesByState(emuDoc, 'Jobs');
      expect(compareTypes(emu, real)).toEqual([]);
      // Attributes every Aurora job of a state carries are carried by every emulated job of that state.
      const sample = read(join(AURORA, 'qstat_x_f_F_json-output.c629ba2.json')) as {
        Jobs: Record<string, Obj>;
      };
      for (const st of ['F', 'H']) {
        const sj = Object.values(sample.Jobs).filter(
          (j) => j.job_state === st && (st !== 'F' || 'stime' in j),
        );
        // Aurora's held jobs were held after they became eligible (so they carry etime and a comment); a job
        // held from submission (qsub -h, a dependency) has neither, as the OpenPBS captures show.
        const optional = [
          'depend',
          'interactive',
          'estimated',
          ...(st === 'H' ? ['comment', 'etime'] : []),
        ];
        const common = Object.keys(sj[0] ?? {}).filter(
          (k) => sj.every((j) => k in j) && !optional.includes(k),
        );
        const ej = Object.entries(emuDoc.Jobs)
          .filter(
            ([id, j]) =>
              !id.includes('[') && j.job_state === st && (st !== 'F' || 'exec_host' in j),
          )
          .map(([, j]) => j);
        expect(ej.length).toBeGreaterThan(0);
        for (const j of ej) expect(common.filter((k) => !(k in j))).toEqual([]);
      }
      const q = typesByState(
        JSON.parse(pbs(dir, 'qstat', '-Q', '-f', '-F', 'json').out) as Obj,
        'Queue',
        '-',
      );
      expect(
        compareTypes(
          q,
          typesByState(read(join(AURORA, 'qstat_Q_f_F_json-output.json')), 'Queue', '-'),
          true,
        ),
      ).toEqual([]);
    },
  );

  it('reports an unknown job id and a finished job the way qstat does', () => {
    const u = pbs(dir, 'qstat', '-f', '-F', 'json', '99999999.pbs-small');
    expect(u.code).toBe(153);
    expect(u.err).toBe('qstat: Unknown Job Id 99999999.pbs-small\n');
    expect(Object.keys(JSON.parse(u.out))).toEqual(['timestamp', 'pbs_version', 'pbs_server']);
    const doc = JSON.parse(jobsText) as { Jobs: Record<string, Obj> };
    const fin = Object.keys(doc.Jobs).find(
      (k) => doc.Jobs[k]?.job_state === 'F' && !k.includes('['),
    );
    const f = pbs(dir, 'qstat', '-f', '-F', 'json', fin as string);
    expect([f.code, f.err]).toEqual([
      35,
      `qstat: ${fin} Job has finished, use -x or -H to obtain historical job information\n`,
    ]);
    expect(
      pbs(dir, 'qstat', '-x', '-f', '-F', 'json', String(fin).split('.')[0] as string).code,
    ).toBe(0);
  });

  it('prints plain tables and qselect lists', () => {
    const t = pbs(dir, 'qstat').out.split('\n');
    expect(t[0]).toBe('Job id            Name             User              Time Use S Queue');
    expect(t[2]).toMatch(/^\d+(\[\])?\.pbs-small +\S+ +\S+ +\S+ [QRHWBE] \S+ *$/);
    const sel = pbs(dir, 'qselect', '-x', '-s', 'F').out.trim().split('\n');
    const doc = JSON.parse(jobsText) as { Jobs: Record<string, Obj> };
    expect(sel).toEqual(
      Object.keys(doc.Jobs).filter((k) => doc.Jobs[k]?.job_state === 'F' && !/\[\d+\]/.test(k)),
    );
    expect(pbs(dir, 'qselect', '-x', '-t', 'm.gt.0600').out).toBe('');
    const since = pbs(dir, 'qselect', '-x', '-t', 'm.gt.202506021200').out.trim().split('\n');
    expect(since.length).toBeGreaterThan(0);
    expect(pbs(dir, 'pbs_rstat', '-f').out).toMatch(/^Resv ID: S\d+\.pbs-small\nReserve_Name = /);
  });
});
