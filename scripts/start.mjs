// `npm start`: install if needed, build, then show the demo pipeline checked and planned.
// (Opening it in a real VS Code with the extension is the extension issue's job.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync('node_modules/.package-lock.json')) run('npm', ['ci', '--no-audit', '--no-fund']);
run('node', ['scripts/build.mjs']);
const demo = 'examples/weather/weather.pipeline.yaml';
console.log(`\n$ tributary validate ${demo}`);
run('node', ['dist/cli.js', 'validate', demo]);
console.log(`\n$ tributary plan ${demo}`);
run('node', ['dist/cli.js', 'plan', demo]);
console.log(`\nRun it with: npx tributary run ${demo}`);
