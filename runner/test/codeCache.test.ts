/** dist/cli.js loads the CLI with the build's V8 code cache, and never with a cache of other code. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir } from './cliHelpers';

const DIST = path.dirname(CLI);

function cli(
  file: string,
  args: string[],
): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [file, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TRIBUTARY_DEBUG_CODE_CACHE: '1' },
  });
}

/** dist/cli.js with its bundle and cache in a folder of their own, the bundle edited by `edit`. */
function copy(edit: (source: string) => string): string {
  const dir = tempDir('tributary-code-cache-');
  for (const f of ['cli.js', 'cli-main.cache'])
    fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  const source = fs.readFileSync(path.join(DIST, 'cli-main.js'), 'utf8');
  fs.writeFileSync(path.join(dir, 'cli-main.js'), edit(source));
  return path.join(dir, 'cli.js');
}

test('the built CLI starts from its code cache', () => {
  const r = cli(CLI, ['--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /code cache used/);
});

test('a bundle changed since the cache was made (same length) is compiled afresh, and runs as changed', () => {
  const version = cli(CLI, ['--version']).stdout.trim();
  assert.match(version, /^\d+\.\d+\.\d+$/);
  // Same length: V8's own check (the script's length) would take the old code.
  const other = version.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
  const file = copy((s) => s.split(`"${version}"`).join(`"${other}"`));
  const r = cli(file, ['--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), other);
  assert.match(r.stderr, /code cache none/);
});

test('without a cache the CLI works as before', () => {
  const file = copy((s) => s);
  fs.rmSync(path.join(path.dirname(file), 'cli-main.cache'));
  const r = cli(file, ['--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /code cache none/);
});
