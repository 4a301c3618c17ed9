/** Run history as a timeline: shares of the run's span, the slowest tasks, trends. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationTrends, timeline } from '../run/history';

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
