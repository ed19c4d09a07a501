/**
 * The memo tables one `parseJobs` call shares across its jobs (see parse-memo.ts for why).
 * Measured at Aurora scale: a node's exec_vnode chunk recurs in ~19 jobs and a select statement
 * in ~20, so these pay; whole exec_vnode / exec_host strings and times repeat too seldom to
 * beat the hashing, so they are parsed afresh.
 */
import type { SelectChunk, VnodeShare } from '../types.js';
import { freezeAll, StringMemo } from './parse-memo.js';
import { parseSelect, vnodeShareMemo } from './placement.js';

export interface JobMemos {
  select: StringMemo<readonly SelectChunk[]>;
  shares: StringMemo<VnodeShare>;
}

/** Fresh memo tables for one parse; every cached value is frozen. */
export function jobMemos(): JobMemos {
  return {
    select: new StringMemo((t) => freezeAll(parseSelect(t))),
    shares: vnodeShareMemo(),
  };
}
