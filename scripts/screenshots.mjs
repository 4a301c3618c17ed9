// `npm run screenshots`: regenerates the README's docs/*.png from the webview and VS Code tests (never `npm test`).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const docs = path.resolve(import.meta.dirname, '..', 'docs');
const only = process.argv.slice(2);
const files = [
  'webview/test/webview.test.ts',
  'webview/test/history.test.ts',
  'test/vscode/e2e.test.ts',
  'test/vscode/graphView.e2e.test.ts',
  'test/vscode/partitions.e2e.test.ts',
  'test/vscode/live.e2e.test.ts',
].filter((f) => only.length === 0 || only.some((x) => f.includes(x)));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, TRIBUTARY_SCREENSHOTS_DIR: docs },
  });
  if (r.status !== 0) process.exit(r.status || 1);
};
run('node', ['scripts/build.mjs']);
run('node', ['--import', 'tsx', '--test', '--test-concurrency=1', ...files]);
console.log(`screenshots written to ${docs}`);
