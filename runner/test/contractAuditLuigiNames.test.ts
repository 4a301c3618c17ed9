/** Contract audit (section 4, export): tasks named in any script keep their name as the Luigi class name. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

const STAND_IN = `class Parameter:
    def __init__(self, default=None):
        self.default = default

class Task:
    def __init__(self, **kw):
        self.param_kwargs = kw

class LocalTarget:
    def __init__(self, path):
        self.path = path
`;

test('export --to luigi: données, 特徴量 and Ωmega-1.x become classes Données, 特徴量 and Ωmega1X (not Task, Task_, DonnEs), and the module imports', (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: unicode
tasks:
  données:
    run: echo d > d.txt
    outputs: [d.txt]
  特徴量:
    run: cat d.txt > f.txt
    inputs: [d.txt]
    outputs: [f.txt]
  学習:
    run: echo m
    needs: [特徴量]
  Ωmega-1.x:
    run: echo hi
    needs: [学習]
`,
    'luigi.py': STAND_IN,
  });
  const r = cli(['export', 'p.pipeline.yaml', '--to', 'luigi'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  fs.writeFileSync(path.join(dir, 'exported.py'), r.stdout);
  const classes = [...r.stdout.matchAll(/^class (\S+)\(_ShellTask\):/gm)].map((m) => m[1]);
  assert.deepEqual(classes, ['Données', '特徴量', '学習', 'Ωmega1X']);
  // Python takes them as identifiers, and each requires() names the class of its upstream.
  const py = spawnSync(
    'python3',
    [
      '-c',
      'import exported as e; print(type(e.特徴量().requires()[0]).__name__, type(e.Ωmega1X().requires()[0]).__name__)',
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, TRIBUTARY_PIPELINE_DIR: dir } },
  );
  assert.equal(py.status, 0, py.stderr);
  assert.equal(py.stdout.trim(), 'Données 学習');
});
