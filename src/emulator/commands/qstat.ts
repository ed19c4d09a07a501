/** The emulated `qstat`: jobs (-f, -F json, -x, -t, -a, -u, ids), queues (-Q) and the server (-B). */
import { countJobs, queueAttrs, serverAttrs } from '../render/cluster-attrs.js';
import { headerOnly, writePbsJson, type PbsObject } from '../render/json-writer.js';
import { attrText, qstatAlt, qstatTable, queueTable, serverTable } from '../render/text.js';
import type { EmuJob } from '../types.js';
import { commandContext, orderedJobs, type CmdCtx } from './context.js';
import { getopt } from './getopt.js';
import { ok, type CommandResult } from './result.js';

const USAGE = `usage:
qstat [-f] [-F json|dsv] [-J] [-p] [-t] [-x] [-E] [-w] [-i|-s] [-u user] [job_identifier... | destination...]
qstat -Q [-f] [-F json|dsv] [destination...]
qstat -B [-f] [-F json|dsv] [server_name...]
`;

/** Resolves a job id as users type it ("123", "123.server", "123[]", "123[4].srv") to a key. */
export function resolveJobId(ctx: CmdCtx, text: string): string | null {
  const m = /^(\d+)(\[\d*\])?(?:\.(.*))?$/.exec(text);
  if (!m) return null;
  const key = `${m[1]}${m[2] ?? ''}.${ctx.cfg.server}`;
  if (m[3] && !ctx.cfg.server.startsWith(m[3])) return null;
  return ctx.jobs[key] ? key : null;
}

/** Runs qstat with argv against the cluster in dir. */
export function qstat(
  dir: string,
  argv: string[],
  env: Record<string, string | undefined>,
): CommandResult {
  const o = getopt(argv, 'fxtQBaJpwnsEiHT1G', 'Fuo');
  const fmt = o.values.get('F');
  if (fmt !== undefined && fmt !== 'json' && fmt !== 'dsv')
    return ok('', 2, `qstat: invalid output format ${fmt}\n${USAGE}`);
  const ctx = commandContext(dir, env);
  const { cfg } = ctx;
  const json = fmt === 'json';
  const head = { timestamp: ctx.now, pbs_version: cfg.pbsVersion, pbs_server: cfg.server };
  if (o.flags.has('B')) {
    const counts = countJobs(ctx.jobs);
    if (json)
      return ok(
        writePbsJson({ ...head, Server: { [cfg.server]: serverAttrs(ctx, counts) } }, ctx.layout),
      );
    if (o.flags.has('f'))
      return ok(`${attrText(`Server: ${cfg.shortServer}`, serverAttrs(ctx, counts))}\n`);
    return ok(
      serverTable(
        cfg.shortServer,
        counts.all.total,
        counts.all as unknown as Record<string, number>,
      ),
    );
  }
  if (o.flags.has('Q')) return queues(ctx, o.operands, json, o.flags.has('f'), head);
  let list: EmuJob[];
  const stderr: string[] = [];
  let code = 0;
  if (o.operands.length > 0) {
    list = [];
    for (const op of o.operands) {
      const key = resolveJobId(ctx, op);
      const j = key ? ctx.jobs[key] : undefined;
      if (!j) {
        stderr.push(`qstat: Unknown Job Id ${op}\n`);
        code = 153;
        continue;
      }
      if (j.state === 'F' && !o.flags.has('x')) {
        stderr.push(
          `qstat: ${j.id} Job has finished, use -x or -H to obtain historical job information\n`,
        );
        code = 35;
        continue;
      }
      list.push(j);
      // Naming an array parent with -t lists its subjobs too.
      if (j.idx === -1 && o.flags.has('t'))
        for (const k of j.subjobs ?? []) if (ctx.jobs[k]) list.push(ctx.jobs[k] as EmuJob);
    }
    // OpenPBS 23.06 (the cJSON writer) returns only the first job for `qstat -f -F json ID1 ID2 …`.
    if (json && ctx.layout === 'cjson' && list.length > 1)
      list = list.slice(
        0,
        list[0]?.idx === -1 && o.flags.has('t') ? 1 + (list[0]?.subjobs?.length ?? 0) : 1,
      );
  } else {
    const user = o.values.get('u');
    list = orderedJobs(ctx.jobs).filter((j) => {
      if (!o.flags.has('x') && j.state === 'F') return false;
      if (!o.flags.has('t') && j.idx !== null && j.idx >= 0) return false;
      if (o.flags.has('J') && j.idx === null) return false;
      if (user && !user.split(',').includes(j.user)) return false;
      return true;
    });
  }
  if (json) {
    if (list.length === 0)
      return ok(headerOnly(ctx.now, cfg.pbsVersion, cfg.server, ctx.layout), code, stderr.join(''));
    const jobs: PbsObject = {};
    for (const j of list) jobs[j.id] = ctx.attrsOf(j);
    return ok(writePbsJson({ ...head, Jobs: jobs }, ctx.layout), code, stderr.join(''));
  }
  if (o.flags.has('f')) {
    return ok(
      list.map((j) => `${attrText(`Job Id: ${j.id}`, ctx.attrsOf(j))}\n`).join(''),
      code,
      stderr.join(''),
    );
  }
  if (list.length === 0) return ok('', code, stderr.join(''));
  if (o.flags.has('a') || o.flags.has('u') || o.flags.has('n') || o.flags.has('s'))
    return ok(qstatAlt(ctx, list), code, stderr.join(''));
  return ok(qstatTable(ctx, list, ctx.attrsOf), code, stderr.join(''));
}

function queues(
  ctx: CmdCtx,
  names: string[],
  json: boolean,
  full: boolean,
  head: PbsObject,
): CommandResult {
  const counts = countJobs(ctx.jobs);
  const all: [string, PbsObject, string, boolean][] = [];
  for (const q of ctx.cfg.queues)
    all.push([q.name, queueAttrs(ctx, q, counts), q.type, q.started !== false]);
  for (const r of Object.values(ctx.loaded.st.resvs).sort((a, b) => a.seq - b.seq))
    all.push([r.queue, queueAttrs(ctx, r, counts), 'Execution', r.state === 'RESV_RUNNING']);
  const picked = names.length > 0 ? all.filter(([n]) => names.includes(n)) : all;
  const missing = names.filter((n) => !all.some(([x]) => x === n));
  const err = missing.map((n) => `qstat: Unknown queue destination ${n}\n`).join('');
  const code = missing.length > 0 ? 1 : 0;
  if (json) {
    if (picked.length === 0)
      return ok(headerOnly(ctx.now, ctx.cfg.pbsVersion, ctx.cfg.server, ctx.layout), code, err);
    const Queue: PbsObject = {};
    for (const [n, a] of picked) Queue[n] = a;
    return ok(writePbsJson({ ...head, Queue }, ctx.layout), code, err);
  }
  if (full)
    return ok(picked.map(([n, a]) => `${attrText(`Queue: ${n}`, a)}\n`).join(''), code, err);
  return ok(
    queueTable(
      picked.map(([name, , type, started]) => {
        const c = counts.byQueue.get(name);
        return {
          name,
          total: c?.total ?? 0,
          Q: c?.Q ?? 0,
          R: c?.R ?? 0,
          H: c?.H ?? 0,
          W: c?.W ?? 0,
          T: c?.T ?? 0,
          E: c?.E ?? 0,
          type,
          started,
        };
      }),
    ),
    code,
    err,
  );
}

export { USAGE as QSTAT_USAGE };
