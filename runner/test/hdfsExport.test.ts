/** `export --to luigi` turns HDFS outputs into luigi.contrib.hdfs.HdfsTarget, in a module Python compiles. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

test('HDFS outputs become HdfsTarget with their path; local ones stay LocalTarget', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: h
params: { day: "d1" }
tasks:
  import:
    run: tributary hdfs put data/x.csv hdfs:///raw/\${params.day}.csv
    outputs: ["hdfs:///raw/\${params.day}.csv", "webhdfs://nn.example:9870/copy/\${params.day}/"]
  local:
    run: echo > out.txt
    inputs: ["hdfs:///raw/\${params.day}.csv"]
    outputs: [out.txt]
`,
  });
  const r = cli(['export', 'p.pipeline.yaml', '--to', 'luigi'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^import luigi\.contrib\.hdfs$/m);
  assert.match(
    r.stdout,
    /hdfs_outs = \("\/raw\/\$\{params\.day\}\.csv", "\/copy\/\$\{params\.day\}"\)/,
  );
  assert.match(
    r.stdout,
    /luigi\.contrib\.hdfs\.HdfsTarget\(self\.fill\(o\)\) for o in self\.hdfs_outs/,
  );
  assert.match(r.stdout, /\[hdfs\]\s+client = webhdfs, namenode_host = nn\.example/);
  assert.match(
    r.stdout,
    /class Local\(_ShellTask\):[\s\S]*outs = \("out\.txt",\)[\s\S]*return \[Import\(\*\*self\.param_kwargs\)\]/,
  );
  assert.doesNotMatch(r.stdout, /not exported/);
  const file = path.join(dir, 'h_luigi.py');
  fs.writeFileSync(file, r.stdout);
  const c = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  fs.rmSync(dir, { recursive: true, force: true });
});
