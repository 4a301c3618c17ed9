/** Run-record events, exactly as written one a line to `.tributary/runs/<run-id>.jsonl`. */

export type TaskFinishStatus = 'success' | 'failed' | 'cancelled' | 'timed_out';
export type TaskSkipStatus = 'complete' | 'upstream_failed';
export type RunStatus = 'success' | 'failed' | 'cancelled';

interface Base {
  ts: string;
  run: string;
}

/** Task events of a partitioned task name its partition (`task` stays the task's name). */
interface TaskBase extends Base {
  task: string;
  partition?: string;
}

/** What the runner knew about a task's inputs when it succeeded: compared on the next run. */
export interface Fingerprint {
  command: string;
  env: string;
  params: Record<string, string>;
  inputs: Record<string, string>;
  upstream: Record<string, string>;
  /** The task's `cwd` as written, when it has one (relative to the pipeline's folder). */
  cwd?: string;
}

export type RunEvent =
  | (Base & {
      event: 'run_started';
      pipeline: string;
      file: string;
      tasks: string[];
      params: Record<string, string>;
      workers: number;
      trigger?: string;
      /** What started it when not a person (`serve`): `schedule '0 0 * * *'`, `file incoming/a.csv`… */
      started_by?: string;
      /** The run's partitions, oldest first (a partitioned run); `tasks` then lists `task@KEY`. */
      partitions?: string[];
    })
  | (TaskBase & { event: 'task_queued' })
  | (TaskBase & {
      event: 'task_started';
      attempt: number;
      executor?: string;
      job?: string;
    })
  | (TaskBase & {
      event: 'task_retry';
      attempt: number;
      delay_ms: number;
      reason: string;
    })
  | (TaskBase & {
      event: 'task_finished';
      attempt: number;
      status: TaskFinishStatus;
      exit_code: number | null;
      duration_ms: number;
      message?: string;
      fingerprint?: Fingerprint;
      /** Concrete outputs of a success, for lineage. */
      outputs?: string[];
      /** The executor's id of the attempt, e.g. a Slurm job id. */
      job?: string;
      /** What the task reported through the file named by $TRIBUTARY_METRICS. */
      metrics?: Metrics;
    })
  | (TaskBase & { event: 'task_skipped'; status: TaskSkipStatus; reason: string })
  | (Base & { event: 'run_finished'; status: RunStatus; duration_ms: number; message?: string })
  | (Base & { event: 'notify_error'; channel: string; message: string });

/** A task's reported numbers (accuracy, rows…): top-level scalars of a JSON object. */
export type Metrics = Record<string, number | string | boolean>;

export type RunEventName = RunEvent['event'];

/** Distributes Omit over the union so each event keeps its own fields. */
export type EventBody = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'ts' | 'run'>
    : never
  : never;

const NAMES: ReadonlySet<string> = new Set<RunEventName>([
  'run_started',
  'task_queued',
  'task_started',
  'task_retry',
  'task_finished',
  'task_skipped',
  'run_finished',
  'notify_error',
]);

/** Parses one JSONL line; undefined for a torn or foreign line (readers must tolerate them). */
export function parseEventLine(line: string): RunEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    const v = JSON.parse(line) as { event?: unknown; run?: unknown; ts?: unknown };
    if (typeof v !== 'object' || v === null || typeof v.event !== 'string' || !NAMES.has(v.event))
      return undefined;
    if (typeof v.run !== 'string' || typeof v.ts !== 'string') return undefined;
    return v as RunEvent;
  } catch {
    return undefined;
  }
}

/** Parses a whole log, skipping torn lines. */
export function parseEventLog(text: string): RunEvent[] {
  const out: RunEvent[] = [];
  for (const line of text.split('\n')) {
    const e = parseEventLine(line);
    if (e) out.push(e);
  }
  return out;
}
