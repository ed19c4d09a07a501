/** Prints, once per run, which optional parts of the suite are skipped and why. */
import { existsSync } from 'node:fs';
import { SHARED_SAMPLES } from './paths.js';

export default function setup(): void {
  if (!process.env.PBS_MONITOR_TEST_PG_URL) {
    console.log(
      'note: PBS_MONITOR_TEST_PG_URL is not set: PostgreSQL tests are skipped (SQLite only).',
    );
  } else {
    console.log(
      `note: PostgreSQL tests run against ${process.env.PBS_MONITOR_TEST_PG_URL.replace(/:[^:@/]*@/, ':***@')}`,
    );
  }
  if (!existsSync(SHARED_SAMPLES)) {
    console.log(`note: ${SHARED_SAMPLES} is absent: tests over the real PBS samples are skipped.`);
  }
}
