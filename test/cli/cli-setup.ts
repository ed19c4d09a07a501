/** Shared setup for the CLI tests: they run the built dist/main.js. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/paths.js';
import { STUB_FIXTURES } from '../helpers/stub-pbs.js';

/** Fails with a clear message when the CLI has not been built. */
export function requireBuild(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` before the CLI tests`);
}

/**
 * Writes a copy of a capture with job attributes changed (e.g. a hostile Job_Name), returning
 * its absolute path, for the stub to print.
 */
export function patchedJobs(
  fixture: string,
  patch: Record<string, Record<string, unknown>>,
): string {
  const data = JSON.parse(readFileSync(join(STUB_FIXTURES, fixture), 'utf8')) as {
    Jobs: Record<string, Record<string, unknown>>;
  };
  for (const [id, attrs] of Object.entries(patch)) Object.assign(data.Jobs[id]!, attrs);
  const out = join(mkdtempSync(join(tmpdir(), 'patched-')), fixture);
  writeFileSync(out, JSON.stringify(data, null, 4));
  return out;
}

export const DOWN = {
  stdout:
    '{\n\t"timestamp":\t1795820026,\n\t"pbs_version":\t"23.06.06",\n\t"pbs_server":\t"pbshost"\n}\n',
  stderr: 'Connection refused\nqstat: cannot connect to server pbshost (errno=15010)\n',
  exit: 255,
};
