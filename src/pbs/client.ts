/** Placeholder until the runner lands. */
import type { Config } from '../config/schema.js';
import type { Logger } from '../util/logger.js';
import type { PbsClient } from './client-types.js';

export interface CreatePbsClientOptions {
  config: Config;
  env: Record<string, string | undefined>;
  logger: Logger;
  signal?: AbortSignal;
}

export function createPbsClient(_opts: CreatePbsClientOptions): PbsClient {
  throw new Error('not implemented yet');
}
