/**
 * `npm start` with desktop VS Code on PATH: it must open the demo folder and pipeline with the
 * extension loaded from this checkout. No desktop VS Code can be installed here, so `code` is a
 * stand-in that records how it was called; the code-server path is covered by test/vscode.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');

test('npm start opens the demo in desktop VS Code when `code` is on PATH', () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-fake-code-'));
  const record = path.join(bin, 'called.json');
  fs.writeFileSync(
    path.join(bin, 'code'),
    `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), open: process.env.TRIBUTARY_OPEN_ON_START }));\n`,
    { mode: 0o755 },
  );
  const r = spawnSync(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TRIBUTARY_SKIP_BUILD: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Opening the demo in VS Code \(desktop\)/);
  const called = JSON.parse(fs.readFileSync(record, 'utf8')) as { args: string[]; open: string };
  const demo = path.join(root, 'examples', 'weather');
  assert.deepEqual(called.args, [
    '--new-window',
    `--extensionDevelopmentPath=${root}`,
    demo,
    path.join(demo, 'weather.pipeline.yaml'),
  ]);
  assert.equal(called.open, 'weather.pipeline.yaml');
  assert.ok(fs.existsSync(path.join(root, 'dist', 'extension.js')), 'the extension is built');
});
