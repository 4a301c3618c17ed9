/** The pipeline model shared by every process. Ranges are UTF-16 offsets into the text. */

export interface Span {
  start: number;
  end: number;
}

export interface Located<T> {
  value: T;
  range: Span;
}

export type Severity = 'error' | 'warning' | 'info';

export type FindingCode =
  | 'yaml-syntax'
  | 'schema'
  | 'unknown-task'
  | 'cycle'
  | 'missing-input'
  | 'duplicate-output'
  | 'undefined-param'
  | 'invalid-schedule'
  | 'invalid-duration'
  | 'undefined-partition'
  | 'invalid-partitions'
  | 'unsafe-interpolation';

/** A text replacement that fixes a finding (quick fix offered by the language server). */
export interface TextEdit {
  range: Span;
  newText: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  range: Span;
  related?: { message: string; range: Span }[];
  /** Machine-readable facts for quick fixes (e.g. the suggested key, the unknown task name). */
  data?: FindingData;
}

export type FindingData =
  | { kind: 'unknown-key'; key: string; suggestion?: string }
  | { kind: 'unknown-task'; name: string; task: string; suggestions: string[] }
  | { kind: 'missing-input'; path: string; task: string }
  | { kind: 'cycle-edge'; from: string; to: string; via: 'needs' | 'data' }
  | { kind: 'quote-item'; fix: TextEdit; what?: 'value' | 'indent' }
  | { kind: 'undefined-param'; name: string; suggestion?: string }
  | { kind: 'invalid-duration'; suggestion: string }
  | { kind: 'one-of'; suggestion: string };

/** A target as written: a path (file, folder or glob) or a typed object such as `postgres`. */
export type Target =
  | { kind: 'path'; path: string; range: Span }
  | { kind: 'postgres'; table: string; dsn?: string; where?: string; range: Span }
  /** `webhdfs://HOST:PORT/PATH` or `hdfs:///PATH` (through TRIBUTARY_WEBHDFS_URL), as written. */
  | { kind: 'hdfs'; url: string; range: Span }
  | { kind: 'other'; type: string; spec: unknown; range: Span };

export interface FieldRange {
  key: Span;
  value: Span;
}

export type ExecutorName = 'local' | 'slurm';

export interface TaskSettings {
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  executor?: ExecutorName;
}

export interface Task extends TaskSettings {
  name: string;
  keyRange: Span;
  /** Range of the task's value node (its mapping). */
  range: Span;
  run?: string;
  needs: Located<string>[];
  inputs: Target[];
  outputs: Target[];
  description?: string;
  env: Record<string, string>;
  cwd?: string;
  resources: Record<string, number>;
  /** Each pool's key and amount under the task's `resources` (findings mark them); absent when none. */
  poolRanges?: Record<string, FieldRange>;
  fields: Partial<Record<string, FieldRange>>;
  /** Each `${partition…}` in the task's values; absent when none (the task is then unpartitioned). */
  partitionRefs?: PartitionRef[];
}

/**
 * A `${partition}`, `${partition.start}`, `${partition.end}` (or unknown `${partition.x}`) in a
 * task. Offsets are relative to the start of the task's key, so a task block parsed on its own
 * gives the same value.
 */
export interface PartitionRef {
  /** '' for `${partition}`, else the name after the dot. */
  field: string;
  start: number;
  end: number;
}

export type PartitionGrain = 'hourly' | 'daily' | 'weekly' | 'monthly';

/** The `partitions:` section as written (checked when read: `invalid-partitions`). */
export type PartitionsSpec =
  | { kind: 'time'; grain: PartitionGrain; start: string; end?: string; timezone?: string }
  | { kind: 'values'; values: string[] };

export interface FileTrigger {
  files: string;
  /** What to do with matching files present when `serve` starts. */
  existing: 'ignore' | 'process';
  range: Span;
  /** Range of the `files` value (for findings about the pattern). */
  filesRange?: Span;
}

export type NotifyEvent = 'failure' | 'success' | 'retry';

export interface Notify {
  email?: { to: string[]; on: NotifyEvent[]; digestMs?: number; subject?: string };
  command?: { run: string; on: NotifyEvent[] };
}

export interface Pipeline {
  name?: string;
  description?: string;
  params: Record<string, string>;
  env: Record<string, string>;
  defaults: TaskSettings;
  schedule: Located<string>[];
  catchup: 'none' | 'latest' | 'all';
  /** Absent when the pipeline has no `partitions:` section. */
  partitions?: PartitionsSpec;
  triggers: FileTrigger[];
  notify: Notify;
  sources: Target[];
  resources: Record<string, number>;
  tasks: Task[];
  taskIndex: Map<string, Task>;
  fields: Partial<Record<string, FieldRange>>;
  /** Range of each param's key, for go-to-definition. */
  paramRanges: Record<string, FieldRange>;
}

export function emptyPipeline(): Pipeline {
  return {
    params: {},
    env: {},
    defaults: {},
    schedule: [],
    catchup: 'none',
    triggers: [],
    notify: {},
    sources: [],
    resources: {},
    tasks: [],
    taskIndex: new Map(),
    fields: {},
    paramRanges: {},
  };
}

/** A letter (any script) or `_`, then letters, marks, digits, `_ . -`: no spaces or slashes (names become log file names). */
export const TASK_NAME_PATTERN = /^[\p{L}_][\p{L}\p{M}\p{N}_.-]*$/u;
