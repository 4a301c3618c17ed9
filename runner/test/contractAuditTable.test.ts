/** Contract audit (section 4): tables stay aligned with wide (CJK) task names and with colour on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';
import { displayWidth, table } from '../render/style';

test('display width: CJK counts two columns, combining marks and colour codes none', () => {
  assert.equal(displayWidth('données'), 7);
  assert.equal(displayWidth('特徴量'), 6);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(displayWidth('\x1b[32m✓ ok\x1b[0m'), 4);
  // A coloured column pads by what shows, not by the escape codes.
  assert.equal(
    table(
      [
        ['\x1b[32mab\x1b[0m', 'x'],
        ['abcd', 'y'],
      ],
      ['A', 'B'],
    ),
    'A     B\n\x1b[32mab\x1b[0m    x\nabcd  y',
  );
});

test('run summary and status: the column after a CJK task name starts where the others do', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: wide
tasks:
  données:
    run: echo d > d.txt
    outputs: [d.txt]
  特徴量:
    run: cat d.txt > f.txt
    inputs: [d.txt]
    outputs: [f.txt]
`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^données {2}✓ success/m);
  assert.match(r.stdout, /^特徴量 {3}✓ success/m);
  const s = cli(['status', 'p.pipeline.yaml'], { cwd: dir }).stdout;
  assert.match(s, /^données {2}complete/m);
  assert.match(s, /^特徴量 {3}complete/m);
});

test('status grid of a partitioned pipeline: CJK task names keep the strips in one column', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: w\npartitions: { values: [a, b] }\ntasks:\n  特徴量:\n    run: echo ${partition}\n  données:\n    run: echo ${partition}\n',
  });
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  const s = cli(['status', 'p.pipeline.yaml'], { cwd: dir }).stdout;
  assert.match(s, /^特徴量 {3}·· {2}0 of 2/m);
  assert.match(s, /^données {2}·· {2}0 of 2/m);
});

test('summaries: no empty table for a pipeline without tasks; a backfill row calls a blocked task blocked, not failed', () => {
  const empty = writeTree(tempDir(), { 'p.pipeline.yaml': 'pipeline: e\ntasks: {}\n' });
  const e = cli(['run', 'p.pipeline.yaml'], { cwd: empty });
  assert.equal(e.code, 0, e.stderr);
  assert.doesNotMatch(e.stdout, /TASK\s+RESULT/);
  assert.match(e.stdout, /succeeded: 0 ran/);
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: b
partitions: { values: [a, b] }
tasks:
  pull:
    run: '[ "\${partition}" = a ] && echo x > \${partition}.txt'
    outputs: ["\${partition}.txt"]
  merge:
    needs: [pull]
    run: cat *.txt > all.txt
    outputs: [all.txt]
`,
  });
  const r = cli(['backfill', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^b\s+✗ failed\s+1\s+0\s+pull$/m);
  assert.match(r.stdout, /^\(all partitions\)\s+✗ failed\s+0\s+0\s+merge \(blocked\)$/m);
});
