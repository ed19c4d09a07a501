/** Placeholder until the config loader lands: defaults only. */
import { defaultConfig, type LoadedConfig } from './schema.js';

export interface LoadConfigOptions {
  explicitPath?: string;
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
}

export async function loadConfig(_opts: LoadConfigOptions): Promise<LoadedConfig> {
  return { config: defaultConfig(), path: null, notes: [] };
}
