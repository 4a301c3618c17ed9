/** Task states as a tagged union, and the one reducer from events to run state used by every view. */
import type { Metrics, RunEvent, RunStatus } from './events';

export type TaskState =
  | { status: 'pending' }
  | { status: 'queued'; queuedAt: number }
  | { status: 'running'; attempt: number; startedAt: number }
  | { status: 'retrying'; attempt: number; reason: string; retryAt: number }
  | {
      status: 'success';
      attempt: number;
      durationMs: number;
      finishedAt: number;
      metrics?: Metrics;
    }
  | {
      status: 'failed' | 'timed_out' | 'cancelled';
      attempt: number;
      durationMs: number;
      exitCode: number | null;
      message?: string;
      finishedAt: number;
    }
  | { status: 'complete'; reason: string }
  | { status: 'upstream_failed'; reason: string };

export type TaskStatus = TaskState['status'];

export interface TaskRecord {
  state: TaskState;
  attempts: number;
  queuedAt?: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface RunState {
  id: string;
  pipeline: string;
  status: 'running' | RunStatus | 'interrupted';
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  /** The file that fired an `on: files` trigger. */
  trigger?: string;
  /** Why the run failed before any task started. */
  message?: string;
  /** Tasks in plan order (`task@KEY` for the instances of a partitioned task). */
  order: string[];
  tasks: Record<string, TaskRecord>;
}

export function initialRunState(): RunState {
  return { id: '', pipeline: '', status: 'running', startedAt: 0, order: [], tasks: {} };
}

/** How run state names a task event's instance: `task@KEY` for a partition, else the task. */
export function instanceKey(task: string, partition?: string): string {
  return partition === undefined ? task : `${task}@${partition}`;
}

function record(s: RunState, task: string): TaskRecord {
  let r = s.tasks[task];
  if (!r) {
    r = { state: { status: 'pending' }, attempts: 0 };
    s.tasks[task] = r;
    s.order.push(task);
  }
  return r;
}

/** Applies one event in place (runs have thousands of events; copying per event would be quadratic). */
let lastTs = '';
let lastAt = NaN;

/** `Date.parse` of an event's time; events of one millisecond (10,000 skips) share one parse. */
function timeOf(ts: string): number {
  if (ts !== lastTs) {
    lastTs = ts;
    lastAt = Date.parse(ts);
  }
  return lastAt;
}

export function reduceRun(s: RunState, e: RunEvent): RunState {
  const at = timeOf(e.ts);
  switch (e.event) {
    case 'run_started':
      s.id = e.run;
      s.pipeline = e.pipeline;
      s.startedAt = at;
      s.status = 'running';
      if (e.trigger !== undefined) s.trigger = e.trigger;
      for (const t of e.tasks) record(s, t);
      return s;
    case 'task_queued': {
      const r = record(s, instanceKey(e.task, e.partition));
      r.queuedAt = at;
      r.state = { status: 'queued', queuedAt: at };
      return s;
    }
    case 'task_started': {
      const r = record(s, instanceKey(e.task, e.partition));
      r.attempts = e.attempt;
      r.startedAt ??= at;
      r.state = { status: 'running', attempt: e.attempt, startedAt: at };
      return s;
    }
    case 'task_retry': {
      const r = record(s, instanceKey(e.task, e.partition));
      r.state = {
        status: 'retrying',
        attempt: e.attempt,
        reason: e.reason,
        retryAt: at + e.delay_ms,
      };
      return s;
    }
    case 'task_finished': {
      const r = record(s, instanceKey(e.task, e.partition));
      r.attempts = e.attempt;
      r.finishedAt = at;
      r.state =
        e.status === 'success'
          ? {
              status: 'success',
              attempt: e.attempt,
              durationMs: e.duration_ms,
              finishedAt: at,
              ...(e.metrics ? { metrics: e.metrics } : {}),
            }
          : {
              status: e.status,
              attempt: e.attempt,
              durationMs: e.duration_ms,
              exitCode: e.exit_code,
              finishedAt: at,
              ...(e.message ? { message: e.message } : {}),
            };
      return s;
    }
    case 'task_skipped':
      record(s, instanceKey(e.task, e.partition)).state = { status: e.status, reason: e.reason };
      return s;
    case 'run_finished':
      s.status = e.status;
      s.finishedAt = at;
      s.durationMs = e.duration_ms;
      if (e.message !== undefined) s.message = e.message;
      // A task still waiting for a worker when the run ended (cancelled) never ran in it: it is
      // no longer queued, and must not read as if it were about to run.
      for (const r of Object.values(s.tasks))
        if (r.state.status === 'queued') r.state = { status: 'pending' };
      return s;
    case 'notify_error':
      return s;
  }
}

export function runStateFrom(events: Iterable<RunEvent>): RunState {
  const s = initialRunState();
  for (const e of events) reduceRun(s, e);
  if (s.status === 'running' && s.finishedAt === undefined) s.status = 'running';
  return s;
}

export interface RunCounts {
  total: number;
  done: number;
  running: number;
  succeeded: number;
  /** Failed, timed out, or blocked by an upstream failure. */
  failed: number;
  /** Stopped by a cancel (Ctrl+C, Stop): not a failure of the task. */
  cancelled: number;
  skipped: number;
}

export function countRun(s: RunState): RunCounts {
  const c: RunCounts = {
    total: 0,
    done: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    skipped: 0,
  };
  for (const name of s.order) {
    const st = s.tasks[name]?.state.status;
    c.total++;
    if (st === 'running' || st === 'retrying') c.running++;
    if (st === 'success') c.succeeded++;
    if (st === 'failed' || st === 'timed_out' || st === 'upstream_failed') c.failed++;
    if (st === 'cancelled') c.cancelled++;
    if (st === 'complete') c.skipped++;
    if (
      st === 'success' ||
      st === 'failed' ||
      st === 'timed_out' ||
      st === 'cancelled' ||
      st === 'complete' ||
      st === 'upstream_failed'
    )
      c.done++;
  }
  return c;
}
