/**
 * Tasks waiting for a worker: they start only when a worker is free, are recorded as started
 * only then, time out counting from then, and a cancel leaves them unrun.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../core/run/events';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun, processesWith, waitFor } from './runHelpers';

const started = (events: RunEvent[]) =>
  events.filter((e) => e.event === 'task_started').map((e) => (e as { task: string }).task);

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

test('cancel: the tasks waiting for a worker never run', async () => {
  const marker = `queuemark${process.pid}x${Date.now()}`;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: c
tasks:
  slow:
    run: touch started && sleep 30 && echo ${marker}
  next_a:
    run: touch ran_a
  next_b:
    run: touch ran_b
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  await waitFor(() => fs.existsSync(path.join(dir, 'started')), 15_000, 'the slow task to start');
  assert.deepEqual(started(lastRun(dir)), ['slow'], 'only the running task is recorded started');
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!fs.existsSync(path.join(dir, 'ran_a')), 'next_a did not run');
  assert.ok(!fs.existsSync(path.join(dir, 'ran_b')), 'next_b did not run');
  const events = lastRun(dir);
  assert.deepEqual(started(events), ['slow']);
  const finished = events.filter((e) => e.event === 'task_finished');
  assert.deepEqual(
    finished.map((e) => [(e as { task: string }).task, (e as { status: string }).status]),
    [['slow', 'cancelled']],
  );
  assert.deepEqual(processesWith(marker), []);
});
