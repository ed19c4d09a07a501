/** `config show`: the configuration in effect, where it came from, and the notes; passwords masked. */
import { stringify } from 'yaml';
import type { Deps } from '../../../deps.js';
import { maskUrl } from '../../../config/mask-url.js';
import { renderJson } from '../../output/json.js';

export interface ConfigShowOptions {
  format?: 'yaml' | 'json';
}

/** Prints the effective configuration to stdout; the file and notes to stderr. */
export async function run(opts: ConfigShowOptions, deps: Deps): Promise<void> {
  const loaded = await deps.config();
  const config = {
    ...loaded.config,
    database: { ...loaded.config.database, url: maskUrl(loaded.config.database.url) },
  };
  if (opts.format === 'json')
    deps.io.write(renderJson({ file: loaded.path, config, notes: loaded.notes }));
  else {
    deps.io.write(`# file: ${loaded.path ?? '(none found: defaults)'}\n`);
    deps.io.write(stringify(config));
    for (const note of loaded.notes) deps.io.writeErr(`note: ${note}\n`);
  }
}
