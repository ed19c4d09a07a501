/** Walks every real PBS output in ../shared/pbs-samples through the matching parser. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PbsOutputError } from '../../../src/pbs/errors.js';
import {
  parseJobs,
  parseNodes,
  parseQueues,
  parseReservations,
  parseServer,
  readPbsJson,
} from '../../../src/pbs/parse/index.js';
import type { RawValue } from '../../../src/pbs/types.js';
import { SHARED_SAMPLES } from '../../helpers/paths.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const present = existsSync(SHARED_SAMPLES);
if (!present) console.log(`note: ${SHARED_SAMPLES} is absent: the real-sample walk is skipped`);
const files = present ? walk(SHARED_SAMPLES).filter((f) => !f.endsWith('README.md')) : [];

/** keys of the top-level map of a document the reader accepts */
function keysOf(buf: Buffer, key: string): string[] {
  const v = readPbsJson(buf, 'sample').value[key] as Record<string, RawValue> | undefined;
  return v ? Object.keys(v) : [];
}

describe.skipIf(!present)('every file in pbs-samples', () => {
  it('has samples to walk', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files.map((f) => [relative(SHARED_SAMPLES, f), f]))(
    '%s parses without a crash',
    (_name, file) => {
      const buf = readFileSync(file);
      const text = buf.toString('latin1');
      const isJson = /^\s*[{]|\n\s*\{\s*\n/.test(text) && text.includes('"');
      try {
        if (/rstat_f/.test(file)) {
          const parsed = parseReservations(buf);
          const ids = [...text.matchAll(/^Resv ID: (\S+)/gm)].map((m) => m[1]);
          expect(parsed.items.map((r) => r.id)).toEqual(ids);
          for (const r of parsed.items) expect(r.start === null || r.start > 1e9).toBe(true);
        } else if (isJson && text.includes('"Jobs"')) {
          const parsed = parseJobs(buf, { timezone: 'UTC' });
          expect(parsed.items.map((j) => j.jobId)).toEqual(keysOf(buf, 'Jobs'));
          for (const j of parsed.items) {
            expect(j.state).toMatch(/^[QHWTREUSBXFM]$/);
            expect(j.owner ?? '').not.toContain('@');
            // the likely hand-written f398889 file is the negative example: its times are still ctime text
            expect(j.qtime === null || j.qtime > 1e9).toBe(true);
          }
        } else if (isJson && text.includes('"nodes"')) {
          const parsed = parseNodes(buf);
          const errors = parsed.repairs.filter((r) => r.kind === 'error-node').length;
          expect(parsed.items.length + errors).toBe(keysOf(buf, 'nodes').length);
          for (const n of parsed.items) expect(n.states.length).toBeGreaterThan(0);
        } else if (isJson && text.includes('"Queue"')) {
          const parsed = parseQueues(buf);
          expect(parsed.items.map((q) => q.name)).toEqual(keysOf(buf, 'Queue'));
          for (const q of parsed.items) expect(q.type).toMatch(/^(Execution|Route)$/);
        } else if (isJson && text.includes('"Server"')) {
          const parsed = parseServer(buf);
          expect(parsed.items.length).toBe(1);
          expect(parsed.items[0]!.version).toMatch(/^\d/);
        } else if (isJson) {
          readPbsJson(buf, 'sample');
        }
      } catch (err) {
        // Bug-report fragments with elided parts ("...") may be unreadable, but only with a typed error.
        expect(err).toBeInstanceOf(PbsOutputError);
        expect(file).toMatch(/github-issues/);
      }
    },
  );
});
