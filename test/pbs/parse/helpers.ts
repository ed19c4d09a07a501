/** Fixture access for the parser tests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES } from '../../helpers/paths.js';

export const DEFECTS = resolve(FIXTURES, 'pbs/defects');
export const OPENPBS = resolve(FIXTURES, 'pbs/openpbs-23.06');

export function defect(name: string): Buffer {
  return readFileSync(resolve(DEFECTS, name));
}

export function capture(name: string): Buffer {
  return readFileSync(resolve(OPENPBS, name));
}

/** repair kinds → how many times each was made */
export function kinds(repairs: { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of repairs) out[r.kind] = (out[r.kind] ?? 0) + 1;
  return out;
}
