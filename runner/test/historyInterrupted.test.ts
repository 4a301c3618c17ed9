/** `history` of a run whose runner was killed (-9): its unfinished tasks read "interrupted", its time runs to the last sign of life. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runHistory } from '../records/history';
import { tempDir, writeTree } from './cliHelpers';

test('a killed run: finished tasks keep their status, unfinished ones read interrupted; durations run to the last event or log write', () => {
  const id = '20260101T000000000Z-dead';
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const ev = (ms: number, e: Record<string, unknown>) =>
    JSON.stringify({ ts: at(ms), run: id, ...e });
  const record = [
    ev(0, {
      event: 'run_started',
      pipeline: 'k',
      file: 'p.pipeline.yaml',
      tasks: ['a', 'b', 'c'],
      params: {},
      workers: 2,
    }),
    ev(1, { event: 'task_queued', task: 'a' }),
    ev(1, { event: 'task_queued', task: 'b' }),
    ev(2, { event: 'task_started', task: 'a', attempt: 1 }),
    ev(3, { event: 'task_started', task: 'b', attempt: 1 }),
    // c failed once and was killed in its second attempt.
    ev(3, { event: 'task_started', task: 'c', attempt: 1 }),
    ev(4, { event: 'task_retry', task: 'c', attempt: 2, delay_ms: 1, reason: 'exit code 1' }),
    ev(6, { event: 'task_started', task: 'c', attempt: 2 }),
    ev(9, {
      event: 'task_finished',
      task: 'a',
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 7,
    }),
  ].join('\n');
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': 'pipeline: k\ntasks:\n  a:\n    run: "true"\n  b:\n    run: sleep 100\n',
    [`.tributary/runs/${id}.jsonl`]: record + '\n',
    [`.tributary/logs/${id}/b.log`]: 'still printing when the runner was killed\n',
  });
  // b's log was last written 2.5 s in: the runner was alive then, though its record says 9 ms.
  const log = path.join(dir, '.tributary', 'logs', id, 'b.log');
  fs.utimesSync(log, new Date(t0 + 2500), new Date(t0 + 2500));
  const [run] = runHistory(path.join(dir, 'p.pipeline.yaml'), 10);
  assert.ok(run);
  assert.equal(run.status, 'interrupted');
  assert.equal(run.duration_ms, 2500);
  const tasks = Object.fromEntries(run.tasks.map((t) => [t.task, t]));
  assert.equal(tasks.a?.status, 'success');
  assert.equal(tasks.a?.duration_ms, 7);
  assert.equal(tasks.b?.status, 'interrupted');
  assert.equal(tasks.b?.finished, null);
  assert.equal(tasks.b?.duration_ms, 2497);
  // c's attempts: the first failed, the second interrupted, running to the last sign of life.
  assert.equal(tasks.c?.status, 'interrupted');
  assert.deepEqual(
    tasks.c?.tries?.map((a) => [a.attempt, a.status, a.finished !== null, a.duration_ms]),
    [
      [1, 'failed', true, 1],
      [2, 'interrupted', false, 2494],
    ],
  );
});
