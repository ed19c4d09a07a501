/** `analyze …`: analytics over the stored history. Flags here; behaviour lazy-loaded. */
import type { Command } from 'commander';
import type { ActionDeps } from '../../program.js';
import { addAnalyzeFlags } from './common.js';

export function register(program: Command, depsOf: ActionDeps): void {
  const analyze = program
    .command('analyze')
    .description('analytics over the stored history (wait times, usage, efficiency, …)');
  const sub = (
    name: string,
    description: string,
    load: () => Promise<{ run(o: never, d: ReturnType<ActionDeps>): Promise<void> }>,
    filters = true,
  ) =>
    addAnalyzeFlags(analyze.command(name).description(description), { filters }).action(
      async (opts, c: Command) => {
        const deps = depsOf(c);
        const { run } = await load();
        await run(opts as never, deps);
      },
    );

  sub(
    'wait-times',
    'queue wait: count, mean, p50/p90/p99 (nearest-rank), max',
    () => import('./wait-times.js'),
  )
    .option('--basis <basis>', 'eligible (start − etime) or queued (start − qtime)', 'eligible')
    .option('--by <group>', 'queue|nodes|walltime|hour|user|project|none', 'queue')
    .option('--exact', 'exact percentiles from every job, however long the window')
    .option('--approx', 'approximate percentiles from histograms (fast on long windows)');
  sub(
    'efficiency',
    'walltime used / requested, jobs killed at walltime, CPU efficiency',
    () => import('./efficiency.js'),
  ).option('--by <group>', 'user|project|queue|none', 'user');
  sub(
    'utilization',
    'nodes / cores / GPUs busy vs available over time',
    () => import('./utilization.js'),
    false,
  )
    .option('--interval <i>', '1h or 1d', '1h')
    .option('--by <what>', 'time (system totals) or queue', 'time')
    .option('--queue <queue>', 'with --by queue: only this queue');
  sub('usage', 'node-hours and job counts per user / project / queue', () => import('./usage.js'))
    .option('--by <group>', 'user|project|queue', 'user')
    .option('--top <n>', 'only the n largest')
    .option('--exact', 'read the jobs table even for long windows')
    .option('--approx', 'read the daily rollups even for short windows');
  sub(
    'queue-depth',
    'queued jobs and requested node-hours over time per queue',
    () => import('./queue-depth.js'),
    false,
  )
    .option('--interval <i>', '1h or 1d', '1h')
    .option('--queue <queue>', 'only this queue');
  sub(
    'throughput',
    'jobs started / finished per day; failures by exit status',
    () => import('./throughput.js'),
  ).option('--by <what>', 'day or exit', 'day');
  sub(
    'nodes',
    'per node: time down / offline, outages, last comment (worst first)',
    () => import('./nodes.js'),
    false,
  ).option('--top <n>', 'the worst n nodes', '20');
  sub(
    'quality',
    'data-quality report: coverage, gaps, failed runs, partial lifecycles, violations',
    () => import('./quality.js'),
  );
}
