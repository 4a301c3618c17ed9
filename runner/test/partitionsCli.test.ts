/** validate accepts a partitioned pipeline and reports `${partition}` without `partitions:`. */
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
