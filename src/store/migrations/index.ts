/** Every migration, in order. Names sort alphabetically; add new ones with the next number. */
import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-jobs-start-index.js';
import * as m0003 from './0003-jobs-live-index.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-jobs-start-index': m0002,
  '0003-jobs-live-index': m0003,
};
