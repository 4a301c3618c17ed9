/** Each attempt of each task in a run, from its events: when it ran, how it ended, and the retry wait before it. */
import type { RunEvent } from './events';
import type { HistoryTry } from './history';
import { instanceKey } from './state';

/**
 * The attempts of each task that was retried (a task that ran once has its times already, and
 * runs of thousands of tasks must not double their history for nothing).
 * A retried attempt ends with `task_retry` (no `task_finished`: CONTRACT §5), the next starts with
 * `task_started`; the last ends with `task_finished`, whose `duration_ms` is that attempt's alone.
 * Keys are run-state names (`task@KEY` for a partition's instance).
 */
export function attemptTimes(events: readonly RunEvent[]): Map<string, HistoryTry[]> {
  const out = new Map<string, HistoryTry[]>();
  for (const e of events)
    if (e.event === 'task_retry') out.set(instanceKey(e.task, e.partition), []);
  if (out.size === 0) return out;
  const delay = new Map<string, number>();
  for (const e of events) {
    if (e.event !== 'task_started' && e.event !== 'task_retry' && e.event !== 'task_finished')
      continue;
    const key = instanceKey(e.task, e.partition);
    const tries = out.get(key);
    if (!tries) continue;
    const last = tries.at(-1);
    const at = Date.parse(e.ts);
    if (e.event === 'task_started') {
      const wait = delay.get(key);
      delay.delete(key);
      tries.push({
        attempt: e.attempt,
        started: e.ts,
        finished: null,
        duration_ms: null,
        status: 'running',
        ...(wait !== undefined ? { retry_delay_ms: wait } : {}),
      });
    } else if (e.event === 'task_retry') {
      delay.set(key, e.delay_ms);
      if (last && last.finished === null) {
        last.finished = e.ts;
        last.duration_ms = Math.max(0, at - Date.parse(last.started));
        last.status = /timed out/i.test(e.reason) ? 'timed_out' : 'failed';
        last.reason = e.reason.slice(0, 200);
      }
    } else if (last && last.finished === null && last.attempt === e.attempt) {
      last.finished = e.ts;
      last.duration_ms = e.duration_ms;
      last.status = e.status;
      if (e.message) last.reason = e.message.slice(0, 200);
    }
  }
  return out;
}
