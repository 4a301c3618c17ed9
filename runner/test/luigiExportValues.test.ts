/**
 * The Luigi export keeps values out of command text too. Luigi itself cannot be installed here
 * (no PyPI), so the generated module runs against a few-line stand-in for the luigi names it uses;
 * the shell, Python and the generated code are real.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliAsync, tempDir, writeTree } from './cliHelpers';

const STAND_IN = `class Parameter:
    def __init__(self, default=None):
        self.default = default

class Task:
    def __init__(self, **kw):
        self.param_kwargs = kw
        for k, v in kw.items():
            setattr(self, k, v)

class LocalTarget:
    def __init__(self, path):
        self.path = path
`;

test('export --to luigi: a hostile param reaches the command as data', async (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: l\nparams:\n  name: n\ntasks:\n  t:\n    run: printf %s "${params.name}" > out.txt; printf %s ${params.name} > uq.txt\n    outputs: [out.txt]\n',
    'luigi.py': STAND_IN,
  });
  const r = await cliAsync(['export', 'p.pipeline.yaml', '--to', 'luigi'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  fs.writeFileSync(path.join(dir, 'exported.py'), r.stdout);
  const value = 'x"; touch PWNED; echo "$(touch PWNED) `touch PWNED`';
  const py = spawnSync(
    'python3',
    ['-c', 'import sys, exported; exported.T(name=sys.argv[1]).run()', value],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, TRIBUTARY_PIPELINE_DIR: dir } },
  );
  assert.equal(py.status, 0, py.stderr);
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false, 'the value was executed');
  assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), value);
  assert.equal(fs.readFileSync(path.join(dir, 'uq.txt'), 'utf8'), value);
});
