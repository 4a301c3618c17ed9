/**
 * Tasks waiting for a worker: they start only when a worker is free, are recorded as started
 * only then, and time out counting from then (a cancel leaving them unrun: cancelQueued.test.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';
import { lastRun } from './runHelpers';

test('with one worker, waiting tasks never run beside the running one', () => {
  // Each task holds a folder while it runs: a second one running at the same time fails to make it.
  const task = (n: number) =>
    `  t${n}:\n    run: 'mkdir busy.d || exit 9; sleep 0.05; rmdir busy.d; echo ${n} >> order.txt'\n`;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: one\ntasks:\n${[1, 2, 3, 4, 5, 6].map(task).join('')}`,
  });
  const r = cli(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'order.txt'), 'utf8').trim().split('\n').length, 6);
  // Each start is recorded after the previous task's end.
  const events = lastRun(dir).filter(
    (e) => e.event === 'task_started' || e.event === 'task_finished',
  );
  for (let i = 0; i < events.length; i++)
    assert.equal(
      events[i]!.event,
      i % 2 === 0 ? 'task_started' : 'task_finished',
      JSON.stringify(events),
    );
});

test('a timeout counts from the start, not from the time the task became ready', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: t
tasks:
  first:
    run: sleep 2
  second:
    timeout: 1500ms
    run: sleep 0.3
`,
  });
  const r = cli(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const done = lastRun(dir).filter((e) => e.event === 'task_finished');
  assert.deepEqual(
    done.map((e) => [(e as { task: string }).task, (e as { status: string }).status]),
    [
      ['first', 'success'],
      ['second', 'success'],
    ],
  );
});
