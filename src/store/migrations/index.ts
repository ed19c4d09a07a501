/** Every migration, in order. Names sort alphabetically; add new ones with the next number. */
import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-jobs-start-index.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-jobs-start-index': m0002,
};
