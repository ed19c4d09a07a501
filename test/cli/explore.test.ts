import { test } from 'vitest';
import { createStubPbs, captureSpec } from '../helpers/stub-pbs.js';
import { runCli } from '../helpers/run-cli.js';
test('explore', () => {
  const stub = createStubPbs(captureSpec('t2-running'));
  for (const args of [['jobs'], ['jobs', '--format', 'json', '--limit', '1'], ['jobs','--format','csv','--limit','3'], ['nodes'], ['nodes','--detailed','--vnodes'], ['queues'], ['status'], ['resv', 'list'], ['resv','show','R17'], ['status','--format','json']]) {
    const r = runCli(args, { pbsBin: stub.dir });
    console.log(`$ ${args.join(' ')} → ${r.code}\n${r.stdout}${r.stderr ? 'STDERR: ' + r.stderr : ''}`);
  }
  stub.cleanup();
});
