/** Run history as a timeline: shares of the run's span, the slowest tasks, trends. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attemptTimes } from '../run/attempts';
import type { RunEvent } from '../run/events';
import { durationTrends, lowerIsBetter, metricTrends, timeline } from '../run/history';

test('timeline: bars as shares of the run, the slowest marked; trends oldest first', () => {
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const t = (task: string, s: number, e: number) => ({
    task,
    status: 'success',
    attempts: 1,
    queued: at(0),
    started: at(s),
    finished: at(e),
    duration_ms: e - s,
  });
  const run = {
    id: 'b',
    started: at(0),
    status: 'success',
    duration_ms: 1000,
    trigger: null,
    skipped: 0,
    tasks: [t('a', 0, 100), t('b', 100, 900), t('c', 900, 1000), t('d', 0, 50)],
  };
  const bars = timeline(run, 1);
  assert.deepEqual(
    bars.map((b) => [b.task, b.start, b.end, b.slow]),
    [
      ['a', 0, 0.1, false],
      ['b', 0.1, 0.9, true],
      ['c', 0.9, 1, false],
      ['d', 0, 0.05, false],
    ],
  );
  assert.equal(bars[1]?.queuedAt, 0);
  const older = { ...run, id: 'a', tasks: [t('a', 0, 300)] };
  const trends = durationTrends([run, older]);
  assert.deepEqual(trends.get('a'), [300, 100]);
  assert.deepEqual(trends.get('b'), [null, 800]);
});

test('attempt times: a retried task has its attempts apart, with the retry wait between them', () => {
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const run = 'r';
  const events: RunEvent[] = [
    { ts: at(0), run, event: 'task_started', task: 'a', attempt: 1 },
    {
      ts: at(1000),
      run,
      event: 'task_retry',
      task: 'a',
      attempt: 2,
      delay_ms: 5000,
      reason: 'exit code 1',
    },
    { ts: at(6100), run, event: 'task_started', task: 'a', attempt: 2 },
    { ts: at(6000), run, event: 'task_started', task: 'b', partition: 'k', attempt: 1 },
    {
      ts: at(8100),
      run,
      event: 'task_finished',
      task: 'a',
      attempt: 2,
      status: 'success',
      exit_code: 0,
      duration_ms: 2000,
    },
  ];
  const tries = attemptTimes(events);
  assert.deepEqual(tries.get('a'), [
    {
      attempt: 1,
      started: at(0),
      finished: at(1000),
      duration_ms: 1000,
      status: 'failed',
      reason: 'exit code 1',
    },
    {
      attempt: 2,
      started: at(6100),
      finished: at(8100),
      duration_ms: 2000,
      status: 'success',
      retry_delay_ms: 5000,
    },
  ]);
  // A task that ran once has its times already: no attempt list.
  assert.equal(tries.has('b@k'), false);

  // The timeline: two segments, the wait between them drawn apart, the run time without the wait.
  const [bar] = timeline({
    id: 'r',
    started: at(0),
    status: 'success',
    duration_ms: 10_000,
    trigger: null,
    skipped: 0,
    tasks: [
      {
        task: 'a',
        status: 'success',
        attempts: 2,
        queued: at(0),
        started: at(0),
        finished: at(8100),
        duration_ms: 2000,
        tries: tries.get('a')!,
      },
    ],
  });
  assert.deepEqual(
    bar?.segments.map((s) => [s.attempt, s.status, s.start, s.end]),
    [
      [1, 'failed', 0, 0.1],
      [2, 'success', 0.61, 0.81],
    ],
  );
  assert.deepEqual(bar?.waits, [{ before: 2, start: 0.1, end: 0.61, ms: 5100 }]);
  assert.equal(bar?.durationMs, 3000);
});

test('metric trends: each numeric metric of each task over runs, oldest first; a loss is lower-is-better', () => {
  const run = (id: string, f1?: number) => ({
    id,
    started: '2026-01-01T00:00:00.000Z',
    status: 'success',
    duration_ms: 1,
    trigger: null,
    skipped: 0,
    tasks:
      f1 === undefined
        ? []
        : [
            {
              task: 'select',
              status: 'success',
              attempts: 1,
              queued: null,
              started: '2026-01-01T00:00:00.000Z',
              finished: null,
              duration_ms: 1,
              metrics: { macro_f1: f1, model: 'softmax', ok: true },
            },
          ],
  });
  const trends = metricTrends([run('c', 0.61), run('b'), run('a', 0.7)]);
  assert.deepEqual(trends, [
    { task: 'select', metric: 'macro_f1', values: [0.7, null, 0.61], runs: ['a', 'b', 'c'] },
  ]);
  assert.equal(lowerIsBetter('macro_f1'), false);
  assert.equal(lowerIsBetter('val_loss'), true);
  assert.equal(lowerIsBetter('errorRate'), true);
  assert.equal(lowerIsBetter('p95-latency'), true);
  assert.equal(lowerIsBetter('interrupts'), false);
  assert.equal(lowerIsBetter('accuracy'), false);
});
