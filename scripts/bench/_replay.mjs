// PBS runners for benchmarks that keep the emulator out of the collector's figures: a recording
// runner saves each command's stdout to a file (keyed by its argv) while the emulator answers, and
// a replay runner later serves those files, so a timed run pays only for reading PBS's output,
// as it would reading a pipe, and none of the emulator's CPU or garbage.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const keyOf = (command, args) =>
  createHash('sha1')
    .update(JSON.stringify([command, ...args]))
    .digest('hex');

/** Wraps `inner` (a PbsRunner), writing every successful answer under `dir`. */
export function recordingRunner(inner, dir) {
  mkdirSync(dir, { recursive: true });
  return {
    async run(command, args) {
      const r = await inner.run(command, args);
      writeFileSync(join(dir, keyOf(command, args)), r.stdout);
      return r;
    },
    takeTimings: () => inner.takeTimings(),
  };
}

/** Answers each command with the stdout recorded for the same argv; fails on one never recorded. */
export function replayRunner(dir) {
  const timings = [];
  return {
    async run(command, args) {
      const t0 = performance.now();
      let stdout;
      try {
        stdout = readFileSync(join(dir, keyOf(command, args)));
      } catch {
        throw new Error(`replay: no recorded output for ${[command, ...args].join(' ')}`);
      }
      const ms = performance.now() - t0;
      timings.push({ command: [command, ...args].join(' '), ms, bytes: stdout.length });
      return { stdout, stderr: '', ms };
    },
    takeTimings: () => timings.splice(0),
  };
}
