/** `config create`: writes the commented sample configuration, mode 0600, never over a file unasked. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Deps } from '../../../deps.js';
import { UserError } from '../../errors.js';
import { SAMPLE_CONFIG } from '../../../config/sample.js';
import { expandHome } from '../../../config/expand-home.js';

export interface ConfigCreateOptions {
  path?: string;
  force?: boolean;
}

/** Writes the sample to `path` (default ~/.pbs_monitor.yaml). */
export async function run(opts: ConfigCreateOptions, deps: Deps): Promise<void> {
  const path = resolve(deps.cwd, expandHome(opts.path ?? '~/.pbs_monitor.yaml', deps.home));
  mkdirSync(dirname(path), { recursive: true });
  try {
    // 'wx' fails if the file exists: no window between a check and the write
    writeFileSync(path, SAMPLE_CONFIG, { mode: 0o600, flag: opts.force ? 'w' : 'wx' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EEXIST')
      throw new UserError(`${path} already exists; not overwritten (use --force to replace it)`);
    throw new UserError(`cannot write ${path}: ${e.message}`);
  }
  if (opts.force) {
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o600);
  }
  deps.io.writeErr(`wrote ${path}\n`);
}
