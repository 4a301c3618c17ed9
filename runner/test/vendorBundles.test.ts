/** The libraries cli.js loads only when a pipeline needs them (dist/vendor/): shipped beside it, loaded then only. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir, writeTree } from './cliHelpers';
import { startSmtp } from './smtpServer';

const DIST = path.dirname(CLI);

/** dist/cli.js, the bundle it loads, its code cache and dist/vendor/ alone in a folder, as the .vsix has them (no node_modules). */
function installedCopy(): string {
  const dir = tempDir('tributary-vendor-');
  for (const f of ['cli.js', 'cli-main.js', 'cli-main.cache'])
    fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  fs.cpSync(path.join(DIST, 'vendor'), path.join(dir, 'vendor'), { recursive: true });
  return path.join(dir, 'cli.js');
}

/** Prints each vendor file the CLI loads on stderr, as `LOADED name`. */
function loadHook(): string {
  const file = path.join(tempDir(), 'hook.cjs');
  fs.writeFileSync(
    file,
    `const M = require('node:module');
const load = M._load;
M._load = function (request, ...rest) {
  if (request.includes('vendor/')) process.stderr.write('LOADED ' + request + '\\n');
  return load.call(this, request, ...rest);
};
`,
  );
  return file;
}

const PIPELINE = `pipeline: nightly
notify:
  email:
    to: [a@example.com]
tasks:
  extract:
    run: echo extracted > out.txt
    outputs: [out.txt]
`;

test('every library cli.js names in vendor/ is there, and a clean validate and run load none', () => {
  const text = fs.readFileSync(path.join(DIST, 'cli-main.js'), 'utf8');
  const named = [...text.matchAll(/\.\/vendor\/([a-z]+)\.js/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(named)].sort(), ['chokidar', 'nodemailer', 'pg']);
  for (const name of named) assert.ok(fs.existsSync(path.join(DIST, 'vendor', `${name}.js`)), name);
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  const hook = loadHook();
  for (const args of [
    ['validate', 'p.pipeline.yaml'],
    ['run', 'p.pipeline.yaml'],
  ]) {
    const r = spawnSync(process.execPath, ['--require', hook, CLI, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, TRIBUTARY_SMTP_URL: '' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /LOADED/, args.join(' '));
  }
});

test('mail is sent by an installed copy (cli.js and vendor/ only): nodemailer is loaded when needed', async () => {
  const smtp = await startSmtp();
  try {
    const cli = installedCopy();
    const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
    const child = spawn(
      process.execPath,
      ['--require', loadHook(), cli, 'notify-test', 'p.pipeline.yaml'],
      {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', TRIBUTARY_SMTP_URL: smtp.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /email to a@example.com: sent/);
    assert.match(stderr, /LOADED .*vendor\/nodemailer\.js/);
    assert.equal(smtp.mails.length, 1);
    assert.deepEqual(smtp.mails[0]!.to, ['a@example.com']);
  } finally {
    await smtp.close();
  }
});
