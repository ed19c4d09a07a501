/** Where test inputs live. */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const FIXTURES = resolve(ROOT, 'test/fixtures');
export const SHARED = resolve(ROOT, '../shared');
export const SHARED_SAMPLES = resolve(SHARED, 'pbs-samples');
export const SHARED_TRACES = resolve(SHARED, 'traces');
/** the built CLI entry points */
export const CLI = resolve(ROOT, 'dist/main.js');
export const EMU_CLI = resolve(ROOT, 'dist/emulator/cli/main.js');
