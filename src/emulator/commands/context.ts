/** Loads a cluster for a PBS command and builds the rendering context. */
import { attrs, type RenderCtx } from '../render/job-attrs.js';
import { loadCluster, type Loaded } from '../store.js';
import { ZoneClock } from '../timefmt.js';
import type { EmuJob, Layout } from '../types.js';
import type { PbsObject } from '../render/json-writer.js';

export interface CmdCtx extends RenderCtx {
  loaded: Loaded;
  layout: Layout;
  attrsOf: (j: EmuJob) => PbsObject;
}

/** `env.PBS_EMU_LAYOUT` (pbspro | cjson) overrides the layout chosen at init for one call. */
export function commandContext(dir: string, env: Record<string, string | undefined>): CmdCtx {
  const loaded = loadCluster(dir);
  const { cfg, st } = loaded;
  const envLayout = env.PBS_EMU_LAYOUT;
  const layout: Layout = envLayout === 'cjson' || envLayout === 'pbspro' ? envLayout : cfg.layout;
  const zone = new ZoneClock(cfg.timezone);
  const c = {
    ...cfg,
    layout,
    pbsVersion:
      layout === cfg.layout
        ? cfg.pbsVersion
        : layout === 'cjson'
          ? '23.06.06'
          : '2022.1.7.20241004133957',
  };
  const ctx: CmdCtx = {
    cfg: c,
    zone,
    nodes: st.nodes,
    now: st.now,
    jobs: st.jobs,
    loaded,
    layout,
    attrsOf: (j) => attrs(ctx, j),
  };
  return ctx;
}

/**
 * The zone a PBS client command reads the times it is given in (`qselect -t`, `qsub -a`): PBS
 * quirk, the client parses them with mktime(3), so in its own TZ, whatever zone the server runs
 * in. An unset TZ, or one Intl does not know (a POSIX rule like `CST6CDT,M3.2.0,M11.1.0`), keeps
 * the cluster's.
 */
export function clientZone(
  env: Record<string, string | undefined>,
  clusterZone: ZoneClock,
): ZoneClock {
  const tz = env.TZ?.replace(/^:/, '');
  if (!tz || tz === clusterZone.zone) return clusterZone;
  try {
    return new ZoneClock(tz);
  } catch {
    return clusterZone;
  }
}

/** Jobs in qstat order: by sequence number, the array parent before its subjobs. */
export function orderedJobs(jobs: Record<string, EmuJob>): EmuJob[] {
  return Object.values(jobs).sort((a, b) => a.seq - b.seq || (a.idx ?? -2) - (b.idx ?? -2));
}
