// `npm test`: build, type-check, lint, then every test layer with node's test runner.
import { spawnSync } from 'node:child_process';
import { globSync } from 'tinyglobby';

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

const npx = (bin) => `node_modules/.bin/${bin}`;
step('build', 'node', ['scripts/build.mjs']);
if (!onlyTests) {
  step('type-check', npx('tsc'), ['-b']);
  step('lint', npx('eslint'), ['.']);
  step('format', npx('prettier'), ['--check', '.']);
}
const files = globSync(['**/test/**/*.test.ts', '!node_modules/**', '!.cache/**'])
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
step(`tests (${files.length} files)`, 'node', [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  ...files,
]);
