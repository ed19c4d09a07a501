/** Plain-text forms: qstat tables (default, -a, -Q, -B), `qstat -f` attribute lists and pbs_rstat. */
import { hms } from '../timefmt.js';
import type { EmuJob, EmuResv } from '../types.js';
import type { RenderCtx } from './job-attrs.js';
import type { PbsObject, PbsValue } from './json-writer.js';

function cut(s: string, w: number): string {
  return s.length > w ? `${s.slice(0, w - 1)}*` : s;
}

/** Default `qstat` table. */
export function qstatTable(
  ctx: RenderCtx,
  jobs: EmuJob[],
  attrsOf: (j: EmuJob) => PbsObject,
): string {
  const lines = [
    'Job id            Name             User              Time Use S Queue',
    '----------------  ---------------- ----------------  -------- - -----',
  ];
  for (const j of jobs) {
    const a = attrsOf(j);
    const used = a.resources_used as PbsObject | undefined;
    const time = used ? String(used.cput) : '0';
    const id = cut(j.id.replace(/^(\d+(?:\[\d*\])?)\.([^.]+).*$/, '$1.$2'), 16);
    lines.push(
      `${id.padEnd(16)}  ${cut(j.name, 16).padEnd(16)} ${cut(j.user, 16).padEnd(16)}  ${time.padStart(8)} ${j.state} ${cut(j.queue, 16).padEnd(16)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `qstat -a` table. */
export function qstatAlt(ctx: RenderCtx, jobs: EmuJob[]): string {
  const out = [
    '',
    `${ctx.cfg.shortServer}: `,
    "                                                            Req'd  Req'd   Elap",
    'Job ID          Username Queue    Jobname    SessID NDS TSK Memory Time  S Time',
    '--------------- -------- -------- ---------- ------ --- --- ------ ----- - -----',
  ];
  for (const j of jobs) {
    const running = j.state === 'R' || j.state === 'E';
    const sess = running ? String(j.sessionId).padStart(6) : '   -- ';
    const elap = running && j.stime !== null ? hms(ctx.now - j.stime).slice(0, 5) : '  -- ';
    const id = cut(j.id.replace(/^(\d+(?:\[\d*\])?)\.([^.]+).*$/, '$1.$2'), 15);
    out.push(
      `${id.padEnd(15)} ${cut(j.user, 8).padEnd(8)} ${cut(j.queue, 8).padEnd(8)} ${cut(j.name, 10).padEnd(10)} ${sess} ${String(j.nodes).padStart(3)} ${String(j.nodes * ctx.cfg.ncpus).padStart(3)}    --  ${hms(j.walltime).slice(0, 5)} ${j.state} ${elap}`,
    );
  }
  return `${out.join('\n')}\n`;
}

function flatten(prefix: string, v: PbsValue, out: [string, string][]): void {
  if (typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(prefix === '' ? k : `${prefix}.${k}`, x, out);
    return;
  }
  out.push([prefix, Array.isArray(v) ? v.join(', ') : String(v)]);
}

/** One "    key = value" line, wrapped at 79 columns with tab continuations as qstat -f does. */
function wrapped(key: string, value: string): string {
  const line = `    ${key} = ${value}`;
  if (line.length <= 79) return line;
  const parts = [line.slice(0, 79)];
  for (let i = 79; i < line.length; i += 78) parts.push(`\t${line.slice(i, i + 78)}`);
  return parts.join('\n');
}

/** `qstat -f` text (Variable_List as one comma list, like real PBS). */
export function attrText(header: string, o: PbsObject): string {
  const lines = [header];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'Variable_List' && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(
        wrapped(
          k,
          Object.entries(v)
            .map(([a, b]) => `${a}=${String(b)}`)
            .join(','),
        ),
      );
      continue;
    }
    const flat: [string, string][] = [];
    flatten(k, v, flat);
    for (const [a, b] of flat) lines.push(wrapped(a, b));
  }
  return `${lines.join('\n')}\n`;
}

/** `qstat -Q` table. */
export function queueTable(
  rows: {
    name: string;
    total: number;
    Q: number;
    R: number;
    H: number;
    W: number;
    T: number;
    E: number;
    type: string;
    started: boolean;
  }[],
): string {
  const out = [
    'Queue              Max   Tot Ena Str   Que   Run   Hld   Wat   Trn   Ext Type',
    '---------------- ----- ----- --- --- ----- ----- ----- ----- ----- ----- ----',
  ];
  for (const r of rows) {
    const n = (x: number) => String(x).padStart(5);
    out.push(
      `${cut(r.name, 16).padEnd(16)} ${n(0)} ${n(r.total)} yes ${r.started ? 'yes' : ' no'} ${n(r.Q)} ${n(r.R)} ${n(r.H)} ${n(r.W)} ${n(r.T)} ${n(r.E)} ${r.type.slice(0, 3)}*`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** `qstat -B` table. */
export function serverTable(server: string, total: number, c: Record<string, number>): string {
  const n = (x: number | undefined) => String(x ?? 0).padStart(5);
  return `Server             Max   Tot   Que   Run   Hld   Wat   Trn   Ext Status\n---------------- ----- ----- ----- ----- ----- ----- ----- ----- -----------\n${cut(server, 16).padEnd(16)} ${n(0)} ${n(total)} ${n(c.Q)} ${n(c.R)} ${n(c.H)} ${n(c.W)} ${n(c.T)} ${n(c.E)} Active\n`;
}

/** `pbs_rstat` table. */
export function rstatTable(ctx: RenderCtx, resvs: EmuResv[]): string {
  const out = [
    'Resv ID    Queue    User     State             Start / Duration / End              ',
    '---------------------------------------------------------------------',
  ];
  for (const r of resvs) {
    const st = r.state === 'RESV_RUNNING' ? 'RN' : 'CO';
    const span = `${ctx.zone.rstatTime(r.start, ctx.now)} / ${r.duration} / ${ctx.zone.rstatTime(r.start + r.duration, ctx.now)}`;
    out.push(
      `${r.id.slice(0, 10).padEnd(10)} ${r.queue.slice(0, 8).padEnd(8)} ${`${r.owner}@${ctx.cfg.shortServer}`.slice(0, 8).padEnd(8)} ${st.padEnd(2)} ${span.padStart(34)}      `,
    );
  }
  return `${out.join('\n')}\n`;
}

/** `pbs_rstat -f` text. */
export function rstatFull(ctx: RenderCtx, resvs: EmuResv[]): string {
  const blocks: string[] = [];
  const login = `${ctx.cfg.shortServer.replace(/-pbs.*$/, '')}-login-01`;
  for (const r of resvs) {
    const c = ctx.cfg.ncpus * r.nodes;
    const vn = r.nodeIdx.map((i) => `(${ctx.nodes[i]?.name}:ncpus=${ctx.cfg.ncpus})`).join('+');
    const lines = [
      `Resv ID: ${r.id}`,
      `Reserve_Name = ${r.name}`,
      `Reserve_Owner = ${r.owner}@${login}`,
      `reserve_state = ${r.state}`,
      `reserve_substate = ${r.substate}`,
      `reserve_start = ${ctx.zone.ctime(r.start)}`,
      `reserve_end = ${ctx.zone.ctime(r.start + r.duration)}`,
      `reserve_duration = ${r.duration}`,
      `queue = ${r.queue}`,
      `Resource_List.ncpus = ${c}`,
      `Resource_List.nodect = ${r.nodes}`,
      `Resource_List.select = ${r.nodes}:ncpus=${ctx.cfg.ncpus}`,
      `Resource_List.place = free`,
      `Resource_List.walltime = ${hms(r.duration)}`,
      `schedselect = ${r.nodes}:ncpus=${ctx.cfg.ncpus}`,
      `resv_nodes = ${vn}`,
      `Authorized_Users = ${r.owner}@${login}`,
      `server = ${ctx.cfg.server}`,
      `ctime = ${ctx.zone.ctime(r.ctime)}`,
      `mtime = ${ctx.zone.ctime(r.mtime)}`,
      `euser = ${r.owner}`,
      `egroup = users`,
    ];
    if (r.kind === 'S')
      lines.push(
        `reserve_rrule = FREQ=DAILY;COUNT=${r.count}`,
        `reserve_count = ${r.count}`,
        `reserve_index = ${r.index}`,
      );
    else lines.push('reserve_count = 1');
    lines.push(`Submit_Host = ${login}`, 'partition = pbs-default');
    blocks.push(`${lines.join('\n')}\n`);
  }
  return blocks.join('\n');
}
