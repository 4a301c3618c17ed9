/** `node --enable-source-maps` (or NODE_OPTIONS) still maps the CLI's stack traces to the TypeScript sources, as before the code-cache loader. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir } from './cliHelpers';

const DIST = path.dirname(CLI);

test('an internal error under --enable-source-maps names the .ts file and line', () => {
  const dir = tempDir('tributary-source-maps-');
  for (const f of ['cli.js', 'cli-main.cache', 'cli-main.js.map'])
    fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  // Same length, so the source map still fits: `.version("0.1.0")` now throws a TypeError.
  const source = fs.readFileSync(path.join(DIST, 'cli-main.js'), 'utf8');
  assert.ok(source.includes('.version("0.1.0")'));
  fs.writeFileSync(
    path.join(dir, 'cli-main.js'),
    source.replace('.version("0.1.0")', '.version((0,0)())'),
  );
  const r = spawnSync(
    process.execPath,
    ['--enable-source-maps', path.join(dir, 'cli.js'), '--version'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 70, r.stderr);
  assert.match(r.stderr, /tributary: internal error: TypeError/);
  assert.match(r.stderr, /runner[/\\]cli[/\\]main\.ts:\d+:\d+/, r.stderr);
});
