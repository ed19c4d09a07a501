/** `config validate [file]`: exit 0 when the file is valid, 2 (UsageError) with the reason if not. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Deps } from '../../../deps.js';
import { loadConfig } from '../../../config/load.js';
import { expandHome } from '../../../config/expand-home.js';

export interface ConfigValidateOptions {
  file?: string;
}

/** Validates `file`, or the configuration in effect. */
export async function run(opts: ConfigValidateOptions, deps: Deps): Promise<void> {
  const file = opts.file ? resolve(deps.cwd, expandHome(opts.file, deps.home)) : null;
  if (file && !existsSync(file)) throw new UsageError(`${file} does not exist`);
  const loaded = file
    ? await loadConfig({
        explicitPath: file,
        env: deps.env,
        home: deps.home,
        cwd: deps.cwd,
      })
    : await deps.config();
  for (const note of loaded.notes) deps.io.writeErr(`note: ${note}\n`);
  deps.io.write(`${loaded.path ?? '(no configuration file: defaults)'}: valid\n`);
}
