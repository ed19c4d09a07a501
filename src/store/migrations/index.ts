/** Every migration, in order. Names sort alphabetically; add new ones with the next number. */
import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
};
