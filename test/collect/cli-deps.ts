/** In-process Deps for command tests over a migrated test database and a fake PBS. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeps, type Deps } from '../../src/deps.js';
import { captureIO, type CapturedIO } from '../../src/cli/io.js';
import type { PbsClient } from '../../src/pbs/client-types.js';
import type { FakeClock } from '../../src/util/clock.js';
import type { TestDatabaseHandle } from '../helpers/open-test-db.js';

/** The URL the test database can be reopened with. */
export function urlOf(t: TestDatabaseHandle): string {
  return t.handle.sqlitePath ? `sqlite:///${t.handle.sqlitePath}` : t.handle.maskedUrl;
}

/** Deps whose config points at `dbUrl` and whose PBS is `pbs`. */
export function testDeps(
  dbUrl: string,
  pbs: PbsClient,
  clock: FakeClock,
): Deps & { io: CapturedIO } {
  const home = mkdtempSync(join(tmpdir(), 'pbsmon-home-'));
  const configPath = join(home, 'config.yaml');
  writeFileSync(
    configPath,
    `database:\n  url: "${dbUrl}"\ncollection:\n  spool_dir: "${join(home, 'spool')}"\n`,
  );
  const io = captureIO();
  const deps = createDeps({
    io,
    clock,
    env: {},
    cwd: home,
    home,
    globals: { verbose: false, quiet: true, configPath },
    pbsClient: pbs,
  });
  return Object.assign(deps, { io });
}
