/**
 * PBS JSON defects during collect, with real processes (the emulator's executables): each is
 * repaired, logged as repairs, and loses nothing.
 */
import { describeFaultMatrix, type FaultRow } from './fault-matrix.js';

/** defect → exit 0 and an ok log row with repairs */
const MATRIX: FaultRow[] = [
  { kind: 'bad-number', code: 0, status: 'ok', repairs: true },
  { kind: 'bad-escape', code: 0, status: 'ok', repairs: true },
  { kind: 'control-chars', code: 0, status: 'ok', repairs: true },
  { kind: 'latin1', code: 0, status: 'ok', repairs: true },
  { kind: 'unescaped-quote', code: 0, status: 'ok', repairs: true },
  { kind: 'duplicate-key', code: 0, status: 'ok', repairs: true },
  { kind: 'text-header', code: 0, status: 'ok', repairs: true },
];

describeFaultMatrix('PBS JSON defects during collect (real processes, emulator)', MATRIX);
