/**
 * Luigi export of a partitioned pipeline: a DateParameter per partitioned task, a range over all
 * partitions for the others, a RangeDaily-style Backfill. Luigi cannot be installed here (no
 * PyPI): the module runs against a small stand-in of the luigi names it uses (parameters with
 * defaults, targets, a depth-first local scheduler); Python, zoneinfo and the shell are real.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

const STAND_IN = `import os

class Parameter:
    def __init__(self, default=None):
        self.default = default

class DateParameter(Parameter):
    pass

class DateHourParameter(Parameter):
    pass

class MonthParameter(Parameter):
    pass

class Task:
    def __init__(self, **kw):
        for k in dir(type(self)):
            v = getattr(type(self), k)
            if isinstance(v, Parameter):
                setattr(self, k, kw.get(k, v.default))
        unknown = set(kw) - {k for k in dir(type(self)) if isinstance(getattr(type(self), k), Parameter)}
        if unknown:
            raise TypeError("unknown parameters %s for %s" % (unknown, type(self).__name__))
        self.param_kwargs = kw

    def output(self):
        return []

    def complete(self):
        outs = self.output()
        return bool(outs) and all(o.exists() for o in outs)

class WrapperTask(Task):
    def complete(self):
        return False

class LocalTarget:
    def __init__(self, path):
        self.path = path

    def exists(self):
        return os.path.exists(self.path)

def build(tasks, local_scheduler=True):
    """As luigi.build: depth-first like its local scheduler, requirements first, complete tasks skipped."""
    done = set()
    for t in tasks:
        _build(t, done)
    return True

def _build(task, done):
    key = (type(task).__name__, tuple(sorted((k, str(v)) for k, v in vars(task).items() if k != "param_kwargs")))
    if key in done:
        return
    done.add(key)
    for r in task.requires():
        _build(r, done)
    if not task.complete() and hasattr(task, "command"):
        task.run()
`;

const PIPELINE = `pipeline: daily
partitions:
  daily:
    start: "2024-03-29"
    end: "2024-04-02"
    timezone: Europe/Paris
params:
  name: n
tasks:
  extract:
    run: mkdir -p raw && echo "\${partition} \${partition.start} \${partition.end} \${params.name}" > "raw/\${partition}.csv"
    outputs: ["raw/\${partition}.csv"]
  validate:
    run: mkdir -p valid && cp "raw/\${partition}.csv" "valid/\${partition}.csv"
    inputs: ["raw/\${partition}.csv"]
    outputs: ["valid/\${partition}.csv"]
  train:
    run: cat valid/*.csv > model.txt
    needs: [validate]
    outputs: [model.txt]
`;

test('export --to luigi of a daily pipeline: Backfill fills each partition as tributary does (DST day included)', (t) => {
  if (spawnSync('python3', ['-c', 'import zoneinfo']).status !== 0)
    return t.skip('python3 with zoneinfo is not installed');
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE, 'luigi.py': STAND_IN });
  const ref = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  const r = cli(['export', 'p.pipeline.yaml', '--to', 'luigi'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /date = luigi\.DateParameter\(\)/);
  assert.match(r.stdout, /class Backfill\(luigi\.WrapperTask\)/);
  fs.writeFileSync(path.join(dir, 'exported.py'), r.stdout);
  const py = spawnSync(
    'python3',
    [
      '-c',
      'import datetime, luigi, exported\nluigi.build([exported.Backfill(since=datetime.date(2024, 3, 30), until=datetime.date(2024, 4, 1))], local_scheduler=True)',
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, TRIBUTARY_PIPELINE_DIR: dir } },
  );
  assert.equal(py.status, 0, py.stderr);
  assert.equal(
    cli(['backfill', 'p.pipeline.yaml', '--from', '2024-03-30', '--to', '2024-04-01'], { cwd: ref })
      .code,
    0,
  );
  const days = ['2024-03-30', '2024-03-31', '2024-04-01'];
  assert.deepEqual(
    fs.readdirSync(path.join(dir, 'valid')).sort(),
    days.map((d) => `${d}.csv`),
  );
  for (const d of days)
    assert.equal(
      fs.readFileSync(path.join(dir, 'raw', `${d}.csv`), 'utf8'),
      fs.readFileSync(path.join(ref, 'raw', `${d}.csv`), 'utf8'),
      d,
    );
  // The 23-hour day of the spring change: +01:00 to +02:00.
  assert.equal(
    fs.readFileSync(path.join(dir, 'raw', '2024-03-31.csv'), 'utf8'),
    '2024-03-31 2024-03-31T00:00:00+01:00 2024-04-01T00:00:00+02:00 n\n',
  );
  assert.equal(
    fs.readFileSync(path.join(dir, 'model.txt'), 'utf8'),
    fs.readFileSync(path.join(ref, 'model.txt'), 'utf8'),
  );
});

test('export --to luigi of values: partitions: a luigi.Parameter, Backfill over every value', (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: regions
partitions: { values: [eu, us] }
tasks:
  pull:
    run: mkdir -p out && echo "\${partition}" > "out/\${partition}.txt"
    outputs: ["out/\${partition}.txt"]
  merge:
    needs: [pull]
    run: cat out/*.txt > all.txt
    outputs: [all.txt]
`,
    'luigi.py': STAND_IN,
  });
  const r = cli(['export', 'p.pipeline.yaml', '--to', 'luigi'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /partition = luigi\.Parameter\(\)/);
  fs.writeFileSync(path.join(dir, 'exported.py'), r.stdout);
  const py = spawnSync(
    'python3',
    ['-c', 'import luigi, exported\nluigi.build([exported.Backfill()], local_scheduler=True)'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, TRIBUTARY_PIPELINE_DIR: dir },
    },
  );
  assert.equal(py.status, 0, py.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'all.txt'), 'utf8'), 'eu\nus\n');
});
