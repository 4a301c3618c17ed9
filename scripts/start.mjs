// `npm start`: install if needed, build, then open examples/weather in a real VS Code with the
// extension loaded and the demo pipeline open (its graph beside it): desktop VS Code when `code`
// is on PATH, otherwise code-server from npm on 127.0.0.1 (installed on first use into .cache/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync('node_modules/.package-lock.json')) run('npm', ['ci', '--no-audit', '--no-fund']);
// (The test of this script skips the build: other tests run the built files meanwhile.)
if (!process.env.TRIBUTARY_SKIP_BUILD) run('node', ['scripts/build.mjs']);
const demo = path.join(root, 'examples', 'weather');
const hasCode = spawnSync('bash', ['-c', 'command -v code'], { encoding: 'utf8' }).status === 0;

if (hasCode && !process.env.TRIBUTARY_USE_CODE_SERVER) {
  console.log('Opening the demo in VS Code (desktop) with the extension loaded…');
  run(
    'code',
    [
      '--new-window',
      `--extensionDevelopmentPath=${root}`,
      demo,
      path.join(demo, 'weather.pipeline.yaml'),
    ],
    { env: { ...process.env, TRIBUTARY_OPEN_ON_START: 'weather.pipeline.yaml' } },
  );
} else {
  run('bash', ['scripts/ensure-system.sh', 'start']);
  const { startCodeServer, workbenchUrl } = await import('../test/vscode/codeServer.mjs');
  const port = Number(process.env.PORT ?? 8080);
  const cs = await startCodeServer({
    workspace: demo,
    port,
    quiet: true,
    settings: {
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    },
  });
  const url = workbenchUrl({
    ...cs,
    folder: demo,
    extensionPath: root,
    env: { TRIBUTARY_OPEN_ON_START: 'weather.pipeline.yaml' },
  });
  console.log(
    `\nVS Code (code-server) with Tributary is running. Open this URL in a browser:\n\n  ${url}\n\nPress Ctrl+C to stop.`,
  );
  const stop = () => {
    cs.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}
