/** Entry for the emulated PBS executables: runs one command, applying any fault in force. */
import { consumeFault, type FaultKind } from '../faults.js';
import { headerOnly } from '../render/json-writer.js';
import { EmulatorError, loadCluster } from '../store.js';
import { getopt, UsageFault } from './getopt.js';
import { pbsnodes, pbsRstat, qselect } from './others.js';
import { qstat } from './qstat.js';
import { ok, type CommandResult } from './result.js';

export type PbsCommandName = 'qstat' | 'pbsnodes' | 'pbs_rstat' | 'qselect';
export const PBS_COMMANDS: PbsCommandName[] = ['qstat', 'pbsnodes', 'pbs_rstat', 'qselect'];

const RUNNERS: Record<
  PbsCommandName,
  (dir: string, argv: string[], env: Record<string, string | undefined>) => CommandResult
> = {
  qstat,
  pbsnodes,
  pbs_rstat: pbsRstat,
  qselect,
};

/** Runs `name argv…` against the cluster in dir, as the real command would behave right now. */
export function runPbsCommand(
  name: PbsCommandName,
  dir: string,
  argv: string[],
  env: Record<string, string | undefined> = {},
): CommandResult {
  let fault: FaultKind | null = null;
  try {
    fault = consumeFault(dir);
    if (fault === 'down') return down(name, dir, argv);
    const r = RUNNERS[name](dir, argv, env);
    if (fault === null) return r;
    return applyFault(fault, r, dir, env);
  } catch (e) {
    if (e instanceof UsageFault) return ok('', 2, `${name}: ${e.message}\n`);
    if (e instanceof EmulatorError)
      return ok('', e.exitCode === 2 ? 1 : e.exitCode, `${name}: ${e.message}\n`);
    throw e;
  }
}

function down(name: PbsCommandName, dir: string, argv: string[]): CommandResult {
  const { cfg, st } = loadCluster(dir);
  let json = false;
  try {
    json = getopt(argv, 'fxtQBaJpwnsEiHT1GavlSjLF', 'Fuo').values.get('F') === 'json';
  } catch {
    json = false;
  }
  // A down server: exit 255, the JSON header alone for qstat -F json, nothing from pbsnodes, the reason on stderr.
  const stdout =
    json && name === 'qstat' ? headerOnly(st.now, cfg.pbsVersion, cfg.server, cfg.layout) : '';
  return {
    stdout,
    stderr: `Connection refused\n${name}: cannot connect to server ${cfg.server} (errno=15010)\n`,
    code: 255,
    delayMs: 0,
  };
}

const INJECT: Record<string, (cjson: boolean) => Buffer> = {
  'bad-number': (c) => Buffer.from(`"PBS_EMU_PADDED":${c ? '\t' : ''}007`),
  'bad-escape': (c) => Buffer.from(`"PBS_O_DOMAIN_USER":${c ? '\t' : ''}"MYDOMAIN\\myuser"`),
  'control-chars': (c) => Buffer.from(`"PBS_EMU_PROMPT":${c ? '\t' : ''}"ring\x07the\x01bell"`),
  // 20.0–23.06 turn each byte ≥ 0x80 into a raw control byte followed by the original byte.
  latin1: (c) =>
    Buffer.concat([
      Buffer.from(`"PBS_EMU_NAME":${c ? '\t' : ''}"Jos`),
      Buffer.from([0x03, 0xc3, 0x02, 0xa9]),
      Buffer.from('"'),
    ]),
  'unescaped-quote': (c) => Buffer.from(`"pset":${c ? '\t' : ''}"group_id="""`),
};

function applyFault(
  kind: FaultKind,
  r: CommandResult,
  dir: string,
  env: Record<string, string | undefined>,
): CommandResult {
  const text = r.stdout.toString();
  switch (kind) {
    case 'timeout':
      return { ...r, delayMs: 3_600_000 };
    case 'slow':
      return { ...r, delayMs: Number(env.PBS_EMU_SLOW_MS ?? 2000) };
    case 'empty':
      return { ...r, stdout: '', code: 0 };
    case 'truncated':
      return { ...r, stdout: text.slice(0, Math.floor(text.length / 2)) };
    case 'garbage':
      return {
        ...r,
        stdout: Buffer.from(
          '\u0000\u0003PBS\u00ff\u00fe internal error: \u0000\u0000 %%&#\n',
          'latin1',
        ),
        code: 0,
      };
    case 'text-header': {
      const table = qstat(dir, [], env).stdout.toString();
      return { ...r, stdout: text.startsWith('{') ? table + text : text };
    }
    case 'duplicate-key':
      return { ...r, stdout: duplicateKey(text) };
    default: {
      const inj = INJECT[kind];
      if (!inj || !text.startsWith('{')) return r;
      return { ...r, stdout: injectLine(text, inj(text.startsWith('{\n\t'))) };
    }
  }
}

/** Inserts a line at the top of the first nested attribute object (Variable_List, resources_available …). */
function injectLine(text: string, line: Buffer): string | Buffer {
  const m =
    /"(Variable_List|resources_available|resources_default|Resource_List)":\t?\{\n([ \t]*)/.exec(
      text,
    );
  if (!m) return text;
  const at = m.index + m[0].length - (m[2] as string).length;
  return Buffer.concat([
    Buffer.from(text.slice(0, at)),
    Buffer.from(m[2] as string),
    line,
    Buffer.from(',\n'),
    Buffer.from(text.slice(at)),
  ]);
}

/** Repeats a key in one object, the way `qstat -Qf -F json` repeats max_queued. */
function duplicateKey(text: string): string {
  const q = /\n([ \t]*)"queue_type":\t?"[^"]*",\n/.exec(text);
  if (q) {
    const ind = q[1] as string;
    const sep = text.startsWith('{\n\t') ? ':\t' : ':';
    const at = q.index + q[0].length;
    return `${text.slice(0, at)}${ind}"max_queued"${sep}"[u:PBS_GENERIC=100]",\n${ind}"max_queued"${sep}"[o:PBS_ALL=1000]",\n${text.slice(at)}`;
  }
  const m = /\{\n([ \t]*"[^"\n]+":\t?("[^"\n]*"|-?\d+),\n)/.exec(text.slice(text.indexOf('{', 1)));
  if (!m) return text;
  const base = text.indexOf('{', 1);
  const at = base + m.index + 2;
  return text.slice(0, at) + (m[1] as string) + text.slice(at);
}
