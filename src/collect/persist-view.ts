/**
 * Placeholder (owned by the collection engine): persists what a live view showed
 * (`--collect`, or `database.auto_persist: true`).
 */
import type { Deps } from '../deps.js';
import type { Job, Node, Parsed, Queue, Reservation, Server } from '../pbs/types.js';

export interface ViewData {
  jobs?: Parsed<Job>;
  nodes?: Parsed<Node>;
  queues?: Parsed<Queue>;
  server?: Parsed<Server>;
  reservations?: Parsed<Reservation>;
}

/** Writes the view's data to the history database; prints a one-line summary to stderr. */
export async function persistView(_data: ViewData, _deps: Deps): Promise<void> {
  throw new Error('persisting views is not implemented yet');
}
