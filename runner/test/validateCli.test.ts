import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

test('validate: prints FILE:LINE:COL: SEVERITY: MESSAGE [CODE] and exits 1 on errors', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': 'pipeline: p\ntasks:\n  a:\n    run: echo\n    needs: [b]\n    retrys: 1\n',
  });
  const r = cli(['validate', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    "p.pipeline.yaml:5:13: error: 'a' needs unknown task 'b' [unknown-task]",
    "p.pipeline.yaml:6:5: warning: unknown key 'retrys' in task 'a' (did you mean 'retries'?) [schema]",
  ]);
});

test('validate: warnings only → exit 0; missing input checked against the disk', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: p\ntasks:\n  a:\n    run: echo\n    inputs: [here.csv]\n    extra: 1\n',
    'here.csv': 'x\n',
  });
  assert.equal(cli(['validate', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  writeTree(dir, {
    'p.pipeline.yaml': 'pipeline: p\ntasks:\n  a:\n    run: echo\n    inputs: [gone.csv]\n',
  });
  const r = cli(['validate', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /p\.pipeline\.yaml:5:14: error: .*gone\.csv.* \[missing-input\]/);
});

test('validate --json: one JSON document with 1-based positions', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': 'pipeline: p\ntasks:\n  a: {run: x, needs: [a]}\n',
  });
  const r = cli(['validate', '--json', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.valid, false);
  assert.deepEqual(
    doc.findings.map((f: { code: string; line: number; column: number; message: string }) => [
      f.code,
      f.line,
      f.column,
      f.message,
    ]),
    [['cycle', 3, 23, 'cycle: a → a']],
  );
});

test('validate: a missing file, a folder, bad usage → one line on stderr, exit 2, no stack trace', () => {
  const dir = tempDir();
  for (const args of [
    ['validate', 'nope.yaml'],
    ['validate', '.'],
    ['validate'],
    ['validate', 'x', '--bogus'],
    ['frobnicate'],
  ]) {
    const r = cli(args, { cwd: dir });
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\bat .*\(.*:\d+:\d+\)/);
  }
});

test('validate: a file starting with a byte-order mark gets the columns the editor shows', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': '\ufeffpipeline: [a]\ntasks:\n  a:\n    run: echo\n',
  });
  const r = cli(['validate', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^p\.pipeline\.yaml:1:11: error: .*\[schema\]/);
  // And the mark does not make a clean file unclean.
  writeTree(dir, { 'p.pipeline.yaml': '\ufeffpipeline: p\ntasks:\n  a:\n    run: echo\n' });
  assert.equal(cli(['validate', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
});
