import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorHolding } from '../../src/cli/commands/database/collector-lock-check.js';

describe('collectorHolding', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const lock = (o: unknown) =>
    writeFileSync(join(dir, 'h.db.lock'), typeof o === 'string' ? o : JSON.stringify(o));

  it('tells a live lock from a stale one', () => {
    dir = mkdtempSync(join(tmpdir(), 'pbsmon-lock-'));
    const db = join(dir, 'h.db');
    expect(collectorHolding(db)).toBeNull();
    lock({ pid: process.pid, host: hostname(), startedAt: 1 });
    expect(collectorHolding(db)).toBe(
      `a collector (PID ${process.pid} on ${hostname()}) holds the database (lock ${db}.lock)`,
    );
    // pid_max is at most 2^22 on Linux: this pid cannot be alive
    lock({ pid: 4_194_400, host: hostname(), startedAt: 1 });
    expect(collectorHolding(db)).toBeNull();
    lock({ pid: 4_194_400, host: 'another-login-node', startedAt: 1 });
    expect(collectorHolding(db)).toMatch(
      /on another-login-node\) holds the database .*remove the lock file/,
    );
    lock('garbage');
    expect(collectorHolding(db)).toMatch(/cannot be read/);
  });
});
