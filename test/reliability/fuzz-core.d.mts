/** Types of fuzz-core.mjs (plain ESM so `scripts/fuzz.mjs` runs it without a compiler). */
import type fc from 'fast-check';

export interface FuzzStats {
  inputs: number;
  bytes: number;
  ms: number;
  maxMsPerKb: number;
  maxMs: number;
  outputErrors: number;
  repairs: number;
  perKb: number[];
  retimed: number;
}
export interface FuzzTargets {
  readPbsJson: (input: string | Buffer, command: string) => { value: unknown; repairs: unknown[] };
  readTolerant: (input: string | Buffer, command: string) => { value: unknown; repairs: unknown[] };
  parsers: Record<
    'jobs' | 'nodes' | 'queues' | 'server',
    (input: string | Buffer) => { items: Array<{ raw: unknown }> }
  >;
  parseReservations: (input: string | Buffer) => {
    items: Array<{ id: string; raw: unknown }>;
    repairs: unknown[];
  };
  PbsOutputError: new (...args: never[]) => Error;
  /** the longest a single input of `size` bytes may take, in ms, before it counts as a hang */
  timeBound: (size: number) => number;
}
export type FuzzProperty = fc.IPropertyWithHooks<unknown[]> | fc.IProperty<unknown[]>;
export function makeChecks(targets: FuzzTargets): {
  stats: FuzzStats;
  valid: fc.IProperty<never>;
  defect: fc.IProperty<never>;
  mutated: fc.IProperty<never>;
  shape: fc.IProperty<never>;
  rstat: fc.IProperty<never>;
};
export function serialise(
  doc: unknown,
  layout: 'pbspro' | 'cjson',
  hook?: (path: Array<string | number>, v: unknown) => string | null,
): string;
export function mutate(buf: Buffer, ops: unknown[]): Buffer;
