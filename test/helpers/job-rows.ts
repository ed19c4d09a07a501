/** A jobs row with only the columns the schema requires, for store tests; `o` sets any other. */
import type { Insertable } from 'kysely';
import type { JobsTable } from '../../src/store/schema.js';

export function jobRow(
  serverId: number,
  seq: number,
  o: Partial<Insertable<JobsTable>> = {},
): Insertable<JobsTable> {
  return {
    server_id: serverId,
    job_id: `${seq}.pbs1`,
    seq,
    state: 'Q',
    first_seen: 1,
    last_seen: 1,
    is_array_parent: 0,
    end_time_estimated: 0,
    final_state_recorded: 0,
    lifecycle_quality: 'complete',
    ...o,
  };
}
