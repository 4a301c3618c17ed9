/** Pure: each task's last state from its run records (newest run first), what every view shows after a reload. */
import type { Metrics, RunEvent } from '../run/events';
import { runStateFrom } from '../run/state';

export interface LastTaskState {
  status: 'success' | 'failed' | 'timed_out' | 'cancelled' | 'upstream_failed' | 'interrupted';
  /** The run the state comes from: its log is `.tributary/logs/<run>/<task>.log`. */
  run: string;
  /** The attempt the state comes from (0: the task never started in that run). */
  attempt: number;
  finished?: string;
  durationMs?: number;
  message?: string;
  metrics?: Metrics;
}

export type LastStates = Record<string, LastTaskState>;

/**
 * Walks runs newest first; a task's state is taken from the newest run in which it ran or was
 * skipped for a failed upstream (a "complete" skip says nothing new). A run with no end and not
 * `live` was interrupted: its started tasks count as interrupted.
 */
export function lastStates(
  runsNewestFirst: Iterable<RunEvent[]>,
  tasks: readonly string[],
  live?: string,
): LastStates {
  const out: LastStates = {};
  const wanted = new Set(tasks);
  for (const events of runsNewestFirst) {
    if (wanted.size === 0) break;
    const s = runStateFrom(events);
    const ended = events.some((e) => e.event === 'run_finished');
    for (const name of s.order) {
      const r = s.tasks[name];
      if (!r || !wanted.has(name)) continue;
      const st = r.state;
      let last: LastTaskState | undefined;
      if (st.status === 'success')
        last = {
          status: 'success',
          run: s.id,
          attempt: st.attempt,
          durationMs: st.durationMs,
          finished: new Date(st.finishedAt).toISOString(),
          ...(st.metrics ? { metrics: st.metrics } : {}),
        };
      else if (st.status === 'failed' || st.status === 'timed_out' || st.status === 'cancelled')
        last = {
          status: st.status,
          run: s.id,
          attempt: st.attempt,
          durationMs: st.durationMs,
          finished: new Date(st.finishedAt).toISOString(),
          ...(st.message ? { message: st.message } : {}),
        };
      else if (st.status === 'upstream_failed')
        last = { status: 'upstream_failed', run: s.id, attempt: 0, message: st.reason };
      else if ((st.status === 'running' || st.status === 'retrying') && !ended && s.id !== live)
        last = {
          status: 'interrupted',
          run: s.id,
          attempt: st.attempt,
          message: 'the run was interrupted',
        };
      if (last) {
        out[name] = last;
        wanted.delete(name);
      }
    }
  }
  return out;
}
