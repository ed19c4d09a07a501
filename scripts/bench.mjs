#!/usr/bin/env node
// Runs every benchmark section in scripts/bench/ (each in its own process, so peak RSS is its own)
// and prints their figures. `npm run bench -- parsers store` runs only the named sections.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const wanted = process.argv.slice(2);
const sections = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && !f.startsWith('_'))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)));
let failed = 0;
for (const file of sections) {
  console.log(`\n=== ${file.replace(/\.mjs$/, '')} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed += 1;
    console.log(`(section ${file} exited ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
