// `npm test`: build, type-check, lint, then every test layer with node's test runner.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const onlyTests = process.argv.includes('--only-tests');
const filter = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function step(name, cmd, args) {
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) {
    console.error(`✖ ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const bin = (name) => `node_modules/.bin/${name}`;
// A fresh clone: install the locked dependencies first (as `npm start` does).
if (!existsSync('node_modules/.package-lock.json'))
  step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund']);
const { globSync } = await import('tinyglobby');
// What the tests need from Debian (Chromium, PostgreSQL, Slurm…): installed when missing.
step('system packages', 'bash', ['scripts/ensure-system.sh', 'test']);
step('build', 'node', ['scripts/build.mjs']);
if (!onlyTests) {
  step('type-check', bin('tsc'), ['-b']);
  step('lint', bin('eslint'), ['.']);
  step('layers', 'npm', ['run', '--silent', 'lint:deps']);
  step('format', bin('prettier'), ['--check', '.']);
}
const all = globSync(['**/test/**/*.test.ts', '!node_modules/**', '!.cache/**'])
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (all.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// A real VS Code is heavy: its tests run on their own, after the other layers, two at a time
// (each its own code-server, port and user-data folder; they mostly wait on the UI: 5 min instead
// of 8.5 on 2 cores).
const vscode = all.filter((f) => f.startsWith('test/vscode/'));
const rest = all.filter((f) => !vscode.includes(f));
if (rest.length > 0) {
  step(`tests: core, runner, language server, webview (${rest.length} files)`, 'node', [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    ...rest,
  ]);
}
if (vscode.length > 0) {
  // Installed once before they start two at a time (a fresh clone has none yet).
  step('VS Code (code-server from npm)', 'bash', ['scripts/ensure-code-server.sh']);
  step(`tests: a real VS Code (${vscode.length} files)`, 'node', [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    ...vscode,
  ]);
}
