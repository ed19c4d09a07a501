/**
 * PBS failures during collect, with real processes (the emulator's executables): down, hung, slow,
 * truncated, garbage and empty output. The JSON defects are in faults-json.test.ts.
 */
import { describeFaultMatrix, type FaultRow } from './fault-matrix.js';

/** fault → exit code of `collect --jobs` during it, and the log row it leaves */
const MATRIX: FaultRow[] = [
  { kind: 'down', code: 3, status: 'failed', error: /cannot reach PBS server pbs-tiny/ },
  { kind: 'timeout', code: 3, status: 'failed', error: /timed out after 2 s and was killed/ },
  // slower than usual but inside pbs.command_timeout: a normal run
  { kind: 'slow', code: 0, status: 'ok', env: { PBS_EMU_SLOW_MS: '300' } },
  { kind: 'truncated', code: 1, status: 'failed', error: /unreadable output at byte \d+/ },
  { kind: 'garbage', code: 1, status: 'failed', error: /unreadable output at byte 0/ },
  { kind: 'empty', code: 1, status: 'failed', error: /empty output/ },
];

describeFaultMatrix('PBS failures during collect (real processes, emulator)', MATRIX);
