/** A task's range ends at its last value: trailing comments and blank lines belong to what follows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncrementalParser } from '../parse/incremental';
import { parsePipeline } from '../parse/parse';

const text = `pipeline: p
tasks:
  extract:
    run: python extract.py
    outputs:
      - out/a.csv
      # more outputs will come here

  train:
    run: |
      python train.py

  # the deploy section
  deploy:
    run: deploy.sh   # inline
    env:
      A: "1"
    # trailing, indented

  report: {run: r.sh}   # flow

# end of file
`;

/** The task a click at `offset` names, as the extension and the language server find it. */
const taskAt = (offset: number): string | undefined =>
  parsePipeline(text).pipeline.tasks.find(
    (t) => offset >= t.keyRange.start && offset <= Math.max(t.range.end, t.keyRange.end),
  )?.name;

test('each task ends at its last value', () => {
  const p = parsePipeline(text).pipeline;
  const ends = Object.fromEntries(p.tasks.map((t) => [t.name, text.slice(0, t.range.end)]));
  assert.ok(ends.extract?.endsWith('- out/a.csv'));
  assert.ok(ends.train?.endsWith('python train.py'));
  assert.ok(ends.deploy?.endsWith('A: "1"'));
  assert.ok(ends.report?.endsWith('{run: r.sh}'));
});

test('every offset of a task key line names that task, never the one above', () => {
  for (const name of ['train', 'deploy', 'report']) {
    const lineStart = text.lastIndexOf('\n', text.indexOf(`  ${name}:`)) + 1;
    const lineEnd = text.indexOf('\n', lineStart);
    assert.equal(taskAt(lineStart + 2), name);
    // An inline comment after a flow task is past its value: no task there, but never another.
    for (let at = lineStart; at <= lineEnd; at++)
      assert.ok([name, undefined].includes(taskAt(at)), `at ${at}: ${taskAt(at)}`);
    // The blank line and comments before it belong to no task.
    assert.equal(taskAt(lineStart - 1), undefined);
  }
});

test('the incremental parse gives the same ranges', () => {
  const full = parsePipeline(text).pipeline.tasks.map((t) => [t.name, t.range]);
  const mine = new IncrementalParser().parse(text).pipeline.tasks.map((t) => [t.name, t.range]);
  assert.deepEqual(mine, full);
});
