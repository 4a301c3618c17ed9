/** Contract audit (sections 4, 5): a `.tributary/` that cannot be written is one clear line, and a log that cannot be written never crashes a run. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun } from './runHelpers';

const PIPELINE = `pipeline: st
tasks:
  a:
    run: echo "hello from a"; echo done > a.txt
    outputs: [a.txt]
  b:
    run: echo "hello from b"
    needs: [a]
`;

test('.tributary is a file: run says so in one line, exit 2, no stack trace', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE, '.tributary': 'not a folder' });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^tributary: cannot create .*\.tributary: a file is in the way \(EEXIST\)\n$/,
  );
  assert.ok(!fs.existsSync(path.join(dir, 'a.txt')), 'nothing ran');
});

test('the task logs cannot be written: the run goes on with its output shown and one note, the record is closed', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': PIPELINE,
    // A file where the logs folder goes: every log write fails as a full disk would.
    '.tributary/logs': 'in the way',
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, r.stderr);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\[a\] hello from a/);
  assert.match(r.stdout, /\[b\] hello from b/);
  assert.match(
    r.stderr,
    /tributary: warning: cannot write the task logs in .*logs.*: output is shown but not kept/,
  );
  // Said once, not per line or per task.
  assert.equal(r.stderr.match(/cannot write the task logs/g)?.length, 1);
  const events = lastRun(dir);
  assert.deepEqual(finished(events), { a: 'success', b: 'success' });
  assert.equal(events.at(-1)?.event, 'run_finished');
  assert.ok(!fs.existsSync(path.join(dir, '.tributary', 'lock')), 'lock released');
});
