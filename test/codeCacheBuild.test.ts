/** The build's CLI warm-up (scripts/codeCache.mjs) costs only the cache when it cannot run: the build goes on, with a warning. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');

test('no temporary folder for the warm-up (TMPDIR missing): a warning, no cache, no failed build', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-dist-'));
  for (const f of ['cli.js', 'cli-main.js'])
    fs.copyFileSync(path.join(root, 'dist', f), path.join(dist, f));
  fs.cpSync(path.join(root, 'dist', 'vendor'), path.join(dist, 'vendor'), { recursive: true });
  const script = `import(${JSON.stringify(path.join(root, 'scripts', 'codeCache.mjs'))}).then((m) => m.makeCodeCache(${JSON.stringify(dist)}))`;
  const r = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, TMPDIR: path.join(dist, 'no-such-folder') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: no code cache for the CLI/);
  assert.ok(!fs.existsSync(path.join(dist, 'cli-main.cache')));
  fs.rmSync(dist, { recursive: true, force: true });
});
