// Makes the compiled entry points executable so `npx pbs-monitor` and `pbs-emu` work from a clone.
import { chmodSync, existsSync } from 'node:fs';

for (const file of ['dist/main.js', 'dist/emulator/cli/main.js']) {
  if (existsSync(file)) chmodSync(file, 0o755);
}
