/** Cluster presets: size, queues, users and the rate of work, modelled on ALCF Polaris and Aurora. */
import type { ClusterConfig, PresetName, QueueDef } from './types.js';

const H = 3600;

function q(name: string, weight: number, extra: Partial<QueueDef> = {}): QueueDef {
  return { name, type: 'Execution', weight, ...extra };
}

function route(name: string, weight: number, destinations: string[]): QueueDef {
  return { name, type: 'Route', weight, destinations };
}

const USERS = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'xavier',
  'yolanda',
  'zoe',
  'amir',
  'bianca',
  'chen',
  'dmitri',
  'elena',
  'farid',
  'gita',
  'hiro',
  'ines',
  'jonas',
];
const PROJECTS = [
  'ClimateSim',
  'QCDLattice',
  'FusionPlasma',
  'GenomeScan',
  'AuroraGPT',
  'MatSci',
  'CosmoSky',
  'TurbFlow',
  'Operations',
  'DrugDesign',
  'NeutronStar',
  'GridOpt',
];

interface PresetSpec {
  nodes: number;
  ncpus: number;
  ngpus: number;
  memKb: number;
  prefix: string;
  server: string;
  arrivals: number;
  users: number;
  queues: QueueDef[];
  defaultQueue: string;
}

function presetSpec(name: PresetName): PresetSpec {
  switch (name) {
    case 'tiny':
      return {
        nodes: 8,
        ncpus: 32,
        ngpus: 0,
        memKb: 263_000_000,
        prefix: 'x1',
        server: 'pbs-tiny',
        arrivals: 6,
        users: 4,
        defaultQueue: 'workq',
        queues: [
          q('workq', 8, { maxWalltime: 24 * H }),
          q('debug', 2, { priority: 100, maxNodes: 2, maxWalltime: 1 * H }),
        ],
      };
    case 'small':
      return {
        nodes: 64,
        ncpus: 64,
        ngpus: 4,
        memKb: 527_672_492,
        prefix: 'x2',
        server: 'pbs-small',
        arrivals: 12,
        users: 10,
        defaultQueue: 'prod',
        queues: [
          route('prod', 8, ['small', 'large']),
          q('small', 0, {
            priority: 10,
            minNodes: 1,
            maxNodes: 15,
            maxWalltime: 12 * H,
            fromRouteOnly: true,
          }),
          q('large', 0, {
            priority: 20,
            minNodes: 16,
            maxNodes: 64,
            maxWalltime: 24 * H,
            fromRouteOnly: true,
          }),
          q('debug', 2, { priority: 100, maxNodes: 2, maxWalltime: 1 * H }),
        ],
      };
    case 'polaris':
      return {
        nodes: 560,
        ncpus: 64,
        ngpus: 4,
        memKb: 527_672_492,
        prefix: 'x3',
        server: 'polaris-pbs-01',
        arrivals: 40,
        users: 24,
        defaultQueue: 'prod',
        queues: [
          q('debug', 2, { priority: 100, maxNodes: 2, maxWalltime: 1 * H }),
          q('debug-scaling', 1, { priority: 90, maxNodes: 10, maxWalltime: 1 * H }),
          route('prod', 8, ['small', 'medium', 'large']),
          q('small', 0, { priority: 10, maxNodes: 9, maxWalltime: 3 * H, fromRouteOnly: true }),
          q('medium', 0, {
            priority: 20,
            minNodes: 10,
            maxNodes: 99,
            maxWalltime: 6 * H,
            fromRouteOnly: true,
          }),
          q('large', 0, {
            priority: 30,
            minNodes: 100,
            maxNodes: 496,
            maxWalltime: 24 * H,
            fromRouteOnly: true,
          }),
          q('preemptable', 1, { priority: 1, maxNodes: 10, maxWalltime: 72 * H }),
          q('demand', 0.3, { priority: 200, maxNodes: 56, maxWalltime: 1 * H }),
          q('backfill-small', 0, { priority: 2, maxNodes: 9, maxWalltime: 6 * H }),
          q('backfill-medium', 0, { priority: 2, minNodes: 10, maxNodes: 99, maxWalltime: 6 * H }),
        ],
      };
    case 'aurora': {
      const small = (n: string, w: number, p = 50): QueueDef =>
        q(n, w, { priority: p, maxNodes: 16, maxWalltime: 6 * H });
      return {
        nodes: 10_624,
        ncpus: 208,
        ngpus: 6,
        memKb: 1_056_758_020,
        prefix: 'x4',
        server: 'aurora-pbs-0001.hostmgmt.cm.aurora.alcf.anl.gov',
        arrivals: 115,
        users: 32,
        defaultQueue: 'prod',
        queues: [
          q('validation', 0.3),
          q('debug', 4, { priority: 11, maxNodes: 2, maxWalltime: 1 * H }),
          q('alcf_daos_cn', 0.2),
          q('lustre_scaling', 0.3, { priority: 60 }),
          q('run_next', 0.1, { priority: 300 }),
          q('alcf_kmd_val', 0.2),
          q('intel_bkc_check', 0.2),
          q('debug-scaling', 1.5, { priority: 12, maxNodes: 31, maxWalltime: 1 * H }),
          q('tiny', 0, { priority: 20, maxNodes: 255, maxWalltime: 6 * H, fromRouteOnly: true }),
          q('small', 0, {
            priority: 20,
            minNodes: 256,
            maxNodes: 1023,
            maxWalltime: 12 * H,
            fromRouteOnly: true,
          }),
          q('medium', 0, {
            priority: 20,
            minNodes: 1024,
            maxNodes: 2047,
            maxWalltime: 18 * H,
            fromRouteOnly: true,
          }),
          q('large', 0, {
            priority: 20,
            minNodes: 2048,
            maxNodes: 10_624,
            maxWalltime: 24 * H,
            fromRouteOnly: true,
          }),
          q('backfill-tiny', 0, { priority: 1, maxNodes: 255, fromRouteOnly: true }),
          q('backfill-small', 0, {
            priority: 1,
            minNodes: 256,
            maxNodes: 1023,
            fromRouteOnly: true,
          }),
          q('backfill-medium', 0, {
            priority: 1,
            minNodes: 1024,
            maxNodes: 2047,
            fromRouteOnly: true,
          }),
          q('backfill-large', 0, { priority: 1, minNodes: 2048, fromRouteOnly: true }),
          route('prod', 12, ['tiny', 'small', 'medium', 'large']),
          route('prod-large', 0.5, ['large']),
          q('visualization', 0.3, { maxNodes: 32, maxWalltime: 8 * H }),
          q('intel_maint', 0.1),
          q('nre-priority', 0.3, { priority: 150 }),
          q('diag', 0.2, { priority: 200 }),
          route('aurorabootcamp', 0.2, ['debug']),
          q('geopm-nre-prio', 0.1, { priority: 150 }),
          q('sandbox', 0.2, { maxNodes: 8, maxWalltime: 1 * H }),
          route('daos-scatter', 0.1, ['tiny']),
          q('intel_xelink', 0.1),
          q('intel_vccin', 0.1),
          route('GenomicVar', 0.1, ['tiny']),
          small('gpu_hack', 0.2),
          small('workshop', 0.2),
          small('training', 0.2),
          small('capacity', 0.3),
          small('preemptable', 0.3, 1),
          small('demand', 0.1, 250),
          small('lustre_test', 0.1),
        ],
      };
    }
  }
}

/** Builds the configuration of a new cluster from a preset (overrides: node count, seed, …). */
export function buildConfig(
  preset: PresetName,
  opts: {
    nodes?: number;
    seed: number;
    start: number;
    historyHours: number;
    timezone: string;
    layout: 'pbspro' | 'cjson';
    trace: string | null;
  },
): ClusterConfig {
  const s = presetSpec(preset);
  const nodeCount = opts.nodes ?? s.nodes;
  const server = s.server;
  return {
    version: 1,
    preset,
    seed: opts.seed,
    start: opts.start,
    historyHours: opts.historyHours,
    timezone: opts.timezone,
    layout: opts.layout,
    server,
    shortServer: server.split('.')[0] as string,
    pbsVersion: opts.layout === 'cjson' ? '23.06.06' : '2022.1.7.20241004133957',
    nodeCount,
    ncpus: s.ncpus,
    ngpus: s.ngpus,
    memKb: s.memKb,
    nodePrefix: s.prefix,
    arrivalsPerHour: (s.arrivals * nodeCount) / s.nodes,
    users: USERS.slice(0, s.users),
    projects: PROJECTS.slice(0, Math.max(3, Math.ceil(s.users / 3))),
    queues: s.queues,
    defaultQueue: s.defaultQueue,
    trace: opts.trace,
  };
}

/** Node name in the HPE Cray style (x<rack>c<chassis>s<slot>b<blade>n<node>). */
export function nodeName(prefix: string, i: number): string {
  const rack = 1000 + Math.floor(i / 64);
  const c = Math.floor((i % 64) / 8);
  const s = i % 8;
  return `${prefix}${String(rack).slice(1)}c${c}s${s}b0n0`;
}
