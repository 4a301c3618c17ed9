/** Until the engine runs partitions: `run`/`plan` refuse a partitioned pipeline in one line (exit 2), nothing run. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

const PIPELINE = `pipeline: daily
partitions:
  daily:
    start: "2024-01-01"
    timezone: UTC
tasks:
  extract:
    run: touch ran-extract && echo "\${partition}" > "raw-\${partition}.csv"
    outputs: ["raw-\${partition}.csv"]
  train:
    needs: [extract]
    run: touch ran-train
`;

test('run and plan refuse a partitioned pipeline with one line and exit 2; nothing runs or is recorded', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  for (const args of [
    ['run', 'p.pipeline.yaml'],
    ['plan', 'p.pipeline.yaml'],
    ['run', 'p.pipeline.yaml', 'train'],
  ]) {
    const r = cli(args, { cwd: dir });
    assert.equal(r.code, 2, args.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /partitioned runs are not supported by this version yet \(task extract mentions \$\{partition\}\)/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.startsWith('ran-') || f.startsWith('raw-')),
    [],
  );
  assert.equal(fs.existsSync(path.join(dir, '.tributary', 'runs')), false);
});

test('validate accepts the partitioned pipeline and reports ${partition} without partitions:', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  assert.equal(cli(['validate', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  writeTree(dir, { 'q.pipeline.yaml': PIPELINE.replace(/partitions:[\s\S]*?tasks:/, 'tasks:') });
  const r = cli(['validate', 'q.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /q\.pipeline\.yaml:4:37: error: \$\{partition\} in a pipeline without partitions: .* \[undefined-partition\]/,
  );
  // An unpartitioned pipeline still runs.
  writeTree(dir, { 'u.pipeline.yaml': 'pipeline: u\ntasks:\n  a:\n    run: touch ran-a\n' });
  assert.equal(cli(['run', 'u.pipeline.yaml'], { cwd: dir }).code, 0);
  assert.ok(fs.existsSync(path.join(dir, 'ran-a')));
});
