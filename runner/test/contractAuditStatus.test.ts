/** Contract audit (sections 2, 4): `status` agrees with what a run would do, and a failed task says it failed. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

interface Row {
  task: string;
  state: string;
  reason: string;
}

function status(dir: string, file = 'p.pipeline.yaml'): Record<string, Row> {
  const r = cli(['status', file, '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { tasks: Row[] };
  return Object.fromEntries(doc.tasks.map((t) => [t.task, t]));
}

function willRun(dir: string, file = 'p.pipeline.yaml'): string[] {
  const r = cli(['plan', file, '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { run: string[] }).run;
}

test('new data upstream: status calls the tasks below the changed one stale (they will run), as plan does', () => {
  const dir = writeTree(tempDir(), {
    'incoming/a.csv': 'id\n1\n',
    'p.pipeline.yaml': `pipeline: fresh
sources: [incoming/]
tasks:
  extract:
    run: mkdir -p data && cat incoming/*.csv > data/raw.csv
    inputs: [incoming/]
    outputs: [data/raw.csv]
  validate:
    run: cp data/raw.csv data/valid.csv
    inputs: [data/raw.csv]
    outputs: [data/valid.csv]
  report:
    run: wc -l data/valid.csv > data/report.txt
    inputs: [data/valid.csv]
    outputs: [data/report.txt]
  other:
    run: echo other > data/other.txt
    needs: [extract]
    outputs: [data/other.txt]
`,
  });
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  assert.deepEqual(
    Object.values(status(dir)).map((r) => r.state),
    ['complete', 'complete', 'complete', 'complete'],
  );
  fs.appendFileSync(path.join(dir, 'incoming/a.csv'), '2\n');
  const s = status(dir);
  assert.equal(s.extract!.state, 'stale');
  assert.match(s.extract!.reason, /input incoming changed/);
  assert.deepEqual(
    { state: s.validate!.state, reason: s.validate!.reason },
    { state: 'stale', reason: 'upstream extract will run' },
  );
  assert.deepEqual(
    { state: s.report!.state, reason: s.report!.reason },
    { state: 'stale', reason: 'upstream validate will run' },
  );
  assert.equal(s.other!.state, 'stale');
  // Exactly the tasks status does not call complete are those a run would run.
  assert.deepEqual(
    Object.values(s)
      .filter((r) => r.state !== 'complete')
      .map((r) => r.task)
      .sort(),
    willRun(dir).sort(),
  );
  // The text view says the same.
  const text = cli(['status', 'p.pipeline.yaml'], { cwd: dir }).stdout;
  assert.match(text, /validate\s+stale\s+upstream extract will run/);
});

test('a partitioned task below a stale partition is stale in that partition only', () => {
  const dir = writeTree(tempDir(), {
    'incoming/2024-01-01.csv': 'a\n',
    'incoming/2024-01-02.csv': 'b\n',
    'p.pipeline.yaml': `pipeline: days
partitions:
  daily: { start: "2024-01-01", end: "2024-01-02", timezone: UTC }
sources: [incoming/]
tasks:
  extract:
    run: mkdir -p raw && cp incoming/\${partition}.csv raw/\${partition}.csv
    inputs: ["incoming/\${partition}.csv"]
    outputs: ["raw/\${partition}.csv"]
  clean:
    run: mkdir -p clean && cp raw/\${partition}.csv clean/\${partition}.csv
    inputs: ["raw/\${partition}.csv"]
    outputs: ["clean/\${partition}.csv"]
`,
  });
  assert.equal(cli(['backfill', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  fs.appendFileSync(path.join(dir, 'incoming/2024-01-02.csv'), 'more\n');
  const r = cli(['status', 'p.pipeline.yaml', '--json'], { cwd: dir });
  const doc = JSON.parse(r.stdout) as {
    tasks: { task: string; partitions: Record<string, string> }[];
  };
  const byTask = Object.fromEntries(doc.tasks.map((t) => [t.task, t.partitions]));
  assert.deepEqual(byTask.extract, { '2024-01-01': 'complete', '2024-01-02': 'stale' });
  assert.deepEqual(byTask.clean, { '2024-01-01': 'complete', '2024-01-02': 'stale' });
});

test('a task without outputs whose last attempt failed or timed out: status says failed and why, not "runs every time"', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: noout
tasks:
  check:
    run: exit 3
  slow:
    run: sleep 30
    timeout: 300ms
`,
  });
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 1);
  const s = status(dir);
  assert.deepEqual(
    { state: s.check!.state, reason: s.check!.reason },
    { state: 'failed', reason: 'last attempt failed' },
  );
  assert.deepEqual(
    { state: s.slow!.state, reason: s.slow!.reason },
    { state: 'failed', reason: 'last attempt failed' },
  );
});
