#!/usr/bin/env node
/** pbs-emu: create and drive an emulated PBS cluster (the only emulator file that touches process). */
import { Command, CommanderError } from 'commander';
import {
  advance,
  binDir,
  createCluster,
  now,
  readNodeTruth,
  readResvTruth,
  readTruth,
  runPbsCommand,
  setFault,
  status,
} from '../api.js';
import { EmulatorError } from '../store.js';
import { parseDuration } from '../timefmt.js';
import type { Layout, PresetName } from '../types.js';
import type { PbsCommandName } from '../commands/run.js';

const out = (s: string): void => void process.stdout.write(s);

function int(name: string) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new EmulatorError(`${name} must be an integer, got "${v}"`, 2);
    return Number(v);
  };
}

function program(): Command {
  const p = new Command('pbs-emu')
    .description('An emulated PBS Professional cluster with ground truth')
    .exitOverride();
  p.command('init <dir>')
    .description('create a cluster in <dir> and warm it up')
    .option('--preset <name>', 'tiny | small | polaris | aurora', 'small')
    .option('--nodes <n>', 'node count (overrides the preset)', int('--nodes'))
    .option('--seed <s>', 'random seed', int('--seed'), 1)
    .option('--history-hours <h>', 'job_history_duration in hours', Number, 120)
    .option('--timezone <tz>', 'zone PBS prints times in', 'America/Chicago')
    .option('--trace <file>', 'replay an SWF trace (.swf or .swf.gz)')
    .option('--trace-days <d>', 'days of trace to keep after the warm-up', Number, 30)
    .option('--start <iso>', 'emulated start instant (ISO-8601)')
    .option('--layout <layout>', 'pbspro (4 spaces) | cjson (tabs)', 'pbspro')
    .option('--warmup-hours <h>', 'hours simulated before the start', Number)
    .action((dir: string, o: Record<string, string | number | undefined>) => {
      let start: number | undefined;
      if (o.start !== undefined) {
        const ms = Date.parse(String(o.start));
        if (Number.isNaN(ms))
          throw new EmulatorError(`--start is not an ISO-8601 instant: ${o.start}`, 2);
        start = Math.floor(ms / 1000);
      }
      if (o.layout !== 'pbspro' && o.layout !== 'cjson')
        throw new EmulatorError('--layout must be pbspro or cjson', 2);
      createCluster(dir, {
        preset: o.preset as PresetName,
        nodes: o.nodes as number | undefined,
        seed: o.seed as number,
        historyHours: o.historyHours as number,
        timezone: o.timezone as string,
        trace: (o.trace as string | undefined) ?? null,
        traceDays: o.traceDays as number,
        start,
        layout: o.layout as Layout,
        warmupHours: o.warmupHours as number | undefined,
      });
      out(`${now(dir)}\n`);
    });
  p.command('advance <dir> <duration>')
    .description('move emulated time forward (15m, 6h, 7d, 90s, or seconds)')
    .action((dir: string, d: string) => {
      const s = parseDuration(d);
      if (s === null) throw new EmulatorError(`bad duration "${d}" (e.g. 15m, 6h, 7d)`, 2);
      out(`${advance(dir, s)}\n`);
    });
  p.command('now <dir>')
    .description('print the emulated time (UTC epoch seconds)')
    .action((dir: string) => out(`${now(dir)}\n`));
  p.command('status <dir>')
    .description('summary of the cluster')
    .action((dir: string) => out(`${JSON.stringify(status(dir), null, 2)}\n`));
  p.command('bin <dir>')
    .description('write qstat/pbsnodes/pbs_rstat/qselect for <dir> and print their folder')
    .action((dir: string) => out(`${binDir(dir)}\n`));
  p.command('fault <dir> <kind>')
    .description(
      'make the next PBS commands fail: down, timeout, slow, truncated, garbage, empty, bad-number, bad-escape, control-chars, latin1, unescaped-quote, duplicate-key, text-header; or clear',
    )
    .option('--times <n>', 'how many invocations (default: until cleared)', int('--times'))
    .action((dir: string, kind: string, o: { times?: number }) =>
      setFault(dir, kind, o.times ?? null),
    );
  p.command('truth <dir>')
    .description('print every job the cluster ever had (JSON lines)')
    .option('--format <f>', 'jsonl', 'jsonl')
    .option('--nodes', 'print the node state history instead')
    .option('--resvs', 'print the reservation state history instead')
    .action((dir: string, o: { format: string; nodes?: boolean; resvs?: boolean }) => {
      if (o.format !== 'jsonl') throw new EmulatorError('--format must be jsonl', 2);
      const rows: unknown[] = o.nodes
        ? readNodeTruth(dir)
        : o.resvs
          ? readResvTruth(dir)
          : readTruth(dir);
      out(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    });
  p.command('run <dir> <command> [args...]')
    .description('run an emulated PBS command in-process (qstat, pbsnodes, pbs_rstat, qselect)')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (dir: string, command: string, args: string[]) => {
      if (!['qstat', 'pbsnodes', 'pbs_rstat', 'qselect'].includes(command))
        throw new EmulatorError(`unknown PBS command ${command}`, 2);
      const r = runPbsCommand(command as PbsCommandName, dir, args, process.env);
      if (r.delayMs > 0) await new Promise((ok) => setTimeout(ok, r.delayMs));
      process.stderr.write(r.stderr);
      process.stdout.write(r.stdout);
      process.exitCode = r.code;
    });
  return p;
}

try {
  await program().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof EmulatorError) {
    process.stderr.write(`pbs-emu: ${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(
      `pbs-emu: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 1;
  }
}
