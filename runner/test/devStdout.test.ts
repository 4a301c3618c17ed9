/**
 * A task that writes to /dev/stdout or /dev/stderr (`tee /dev/stderr`, `> /dev/stdout`) loses
 * nothing it wrote before or after. With the task launcher (the default) its stdout and stderr
 * are a pipe, which such a reopen gets again: every line arrives. With Node's spawn
 * (TRIBUTARY_LAUNCHER=0) stdout is a socket, which /dev/stdout cannot reopen: that write fails
 * with a clear line in the log (documented; `>&1` and `>&2` work everywhere).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';
import { lastRun } from './runHelpers';

for (const launcher of ['', '0'])
  test(`a task writing to /dev/stdout and /dev/stderr keeps every line in its log (TRIBUTARY_LAUNCHER=${launcher})`, () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: devout
tasks:
  t:
    run: |
      echo first; echo second > /dev/stdout; echo third; echo fourth > /dev/stderr; echo fifth
`,
    });
    const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env: { TRIBUTARY_LAUNCHER: launcher } });
    assert.equal(r.code, 0, r.stderr);
    const run = lastRun(dir)[0];
    assert.ok(run && run.event === 'run_started');
    const log = fs.readFileSync(path.join(dir, '.tributary', 'logs', run.run, 't.log'), 'utf8');
    for (const line of ['first', 'third', 'fifth']) {
      assert.match(log, new RegExp(`^${line}$`, 'm'), `${line} is in the log`);
      assert.match(r.stdout + r.stderr, new RegExp(`\\[t\\] ${line}`), `${line} is shown live`);
    }
    if (launcher === '') {
      // The launcher's pipe, reopened: the lines themselves, in order.
      assert.match(log, /^first\nsecond\nthird\nfourth\nfifth\n$/m);
    } else {
      // A socket cannot be reopened: the shell's one-line reason, nothing else lost.
      assert.match(log, /^second$|\/dev\/stdout: No such device or address/m);
      assert.match(log, /^fourth$|\/dev\/stderr: No such device or address/m);
    }
    assert.doesNotMatch(log, /\0/, 'no holes from a truncated file');
  });
