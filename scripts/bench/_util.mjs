// Shared helpers for benchmark sections: timing, peak RSS, formatting.
import { readFileSync } from 'node:fs';

/** Peak resident set size of this process so far, in bytes (Linux VmHWM). */
export function peakRss() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return process.memoryUsage().rss;
}

export function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Runs fn `runs` times and returns the best wall time in ms. */
export async function best(fn, runs = 3) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export function row(label, value, aim = '') {
  console.log(`${label.padEnd(58)} ${String(value).padStart(14)}${aim ? `   (aim ${aim})` : ''}`);
}
