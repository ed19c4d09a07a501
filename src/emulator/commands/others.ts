/** The emulated `pbsnodes`, `pbs_rstat` and `qselect`. */
import { nodeAttrs, nodeState } from '../render/cluster-attrs.js';
import { writePbsJson, type PbsObject } from '../render/json-writer.js';
import { attrText, rstatFull, rstatTable } from '../render/text.js';
import type { EmuJob } from '../types.js';
import { clientZone, commandContext, orderedJobs } from './context.js';
import { getopt } from './getopt.js';
import { ok, type CommandResult } from './result.js';

/** pbsnodes [-a] [-v] [-F json] [-l] [node…] */
export function pbsnodes(
  dir: string,
  argv: string[],
  env: Record<string, string | undefined>,
): CommandResult {
  const o = getopt(argv, 'avlSjL', 'F');
  const ctx = commandContext(dir, env);
  const { st } = ctx.loaded;
  const json = o.values.get('F') === 'json';
  let nodes = st.nodes;
  const errs: string[] = [];
  if (o.operands.length > 0) {
    nodes = [];
    for (const name of o.operands) {
      const n = st.nodes.find((x) => x.name === name);
      if (n) nodes.push(n);
      else errs.push(name);
    }
  }
  if (o.flags.has('l')) {
    const lines = nodes
      .filter((n) => n.bad)
      .map((n) => `${n.name.padEnd(20)} ${nodeState(n, st.resvs).padEnd(16)} ${n.comment ?? ''}`);
    return ok(lines.length ? `${lines.join('\n')}\n` : '');
  }
  if (json) {
    const out: PbsObject = {};
    for (const n of nodes) out[n.name] = nodeAttrs(ctx, n, st.resvs);
    // PBS reports an unknown host as if it were a node carrying an Error attribute.
    for (const e of errs) out[e] = { Error: 'Unknown node ' };
    return ok(
      writePbsJson(
        {
          timestamp: ctx.now,
          pbs_version: ctx.cfg.pbsVersion,
          pbs_server: ctx.cfg.server,
          nodes: out,
        },
        ctx.layout,
      ),
      errs.length ? 1 : 0,
    );
  }
  const text = nodes
    .map((n) => attrText(n.name, nodeAttrs(ctx, n, st.resvs)).replace(/^ {4}/gm, '     '))
    .join('\n');
  const err = errs.map((e) => `pbsnodes: Unknown node  ${e}\n`).join('');
  return ok(nodes.length ? `${text}\n` : '', errs.length ? 1 : 0, err);
}

/** pbs_rstat [-f | -S | -F] [resv_id…] */
export function pbsRstat(
  dir: string,
  argv: string[],
  env: Record<string, string | undefined>,
): CommandResult {
  const o = getopt(argv, 'fSFB', '');
  const ctx = commandContext(dir, env);
  let resvs = Object.values(ctx.loaded.st.resvs).sort((a, b) => a.seq - b.seq);
  if (o.operands.length > 0)
    resvs = resvs.filter((r) =>
      o.operands.some((x) => r.id === x || r.id.startsWith(`${x}.`) || r.queue === x),
    );
  if (o.flags.has('f') || o.flags.has('F')) return ok(rstatFull(ctx, resvs));
  return ok(resvs.length ? rstatTable(ctx, resvs) : '');
}

const CMP: Record<string, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

function timeOf(j: EmuJob, k: string): number | null {
  switch (k) {
    case 'm':
      return j.mtime;
    case 'c':
      return j.ctime;
    case 'e':
      return j.etime;
    case 'q':
      return j.qtime;
    case 's':
      return j.stime;
    case 'a':
      return j.execTime;
    default:
      return null;
  }
}

/** qselect [-x] [-J] [-T] [-t <m|c|e|q|s|a>.<op>.<[[CC]YY]MMDDhhmm[.SS]>] [-s states] [-u users] [-q queue] [-N name] */
export function qselect(
  dir: string,
  argv: string[],
  env: Record<string, string | undefined>,
): CommandResult {
  const o = getopt(argv, 'xJT', 'tsuqNlaAcphPrW');
  const ctx = commandContext(dir, env);
  let filterT: ((j: EmuJob) => boolean) | null = null;
  const t = o.values.get('t');
  if (t !== undefined) {
    const m = /^([mceqsa])\.(gt|ge|lt|le|eq|ne)\.(.+)$/.exec(t);
    if (!m)
      return ok(
        '',
        2,
        `qselect: illegal -t value\nusage: qselect [-a [op]date_time] [-A account_string] [-c [op]interval] [-h hold_list] [-H] [-J] [-l resource_list] [-N name] [-p [op]priority] [-q destination] [-r y|n] [-s states] [-t time_option] [-T] [-u user_name] [-x] [--version]\n`,
      );
    // A bare hhmm (or any form without the date) is accepted but matches nothing, as on real PBS.
    const when = clientZone(env, ctx.zone).parseStamp(m[3] as string);
    const cmp = CMP[m[2] as string] as (a: number, b: number) => boolean;
    const key = m[1] as string;
    filterT = (j) => {
      if (when === null) return false;
      const v = timeOf(j, key);
      return v !== null && cmp(v, when);
    };
  }
  const states = o.values.get('s');
  const users = o.values.get('u')?.split(',');
  const queue = o.values.get('q');
  const name = o.values.get('N');
  const ids = orderedJobs(ctx.jobs)
    .filter((j) => {
      if (!o.flags.has('x') && j.state === 'F') return false;
      const sub = j.idx !== null && j.idx >= 0;
      if (sub && !o.flags.has('T')) return false;
      if (o.flags.has('J') && j.idx !== -1) return false;
      if (states && !states.includes(j.state)) return false;
      if (users && !users.includes(j.user)) return false;
      if (queue && j.queue !== queue.replace(/@.*$/, '')) return false;
      if (name && j.name !== name) return false;
      return filterT ? filterT(j) : true;
    })
    .map((j) => j.id);
  return ok(ids.length ? `${ids.join('\n')}\n` : '');
}
