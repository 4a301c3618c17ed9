/** What every executor (local, slurm) offers the engine. */
import type { TaskFinishStatus } from '../../core/run/events';

export interface Attempt {
  task: string;
  command: string;
  cwd: string;
  /** The full environment of the process. */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /**
   * The task's log file (`onOutput` writes it): if the runner dies, its launcher appends there what
   * the task prints until it is ended, after a line saying when the runner stopped.
   */
  log?: string;
  onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  /**
   * The run's cancel and kill (second signal): what its tasks left outside their groups is ended
   * on a cancel even when no task is running then (a retry's wait, only Slurm jobs running).
   */
  runSignals?: { cancel?: AbortSignal; kill?: AbortSignal };
}

export interface AttemptResult {
  status: TaskFinishStatus;
  exitCode: number | null;
  message?: string;
  /** An id from the executor, e.g. a Slurm job id. */
  job?: string;
}

export interface RunningAttempt {
  readonly done: Promise<AttemptResult>;
  /** Stops the attempt and everything it started; `force`: KILL now, without the grace period. */
  cancel(force?: boolean): void;
}

export interface Executor {
  readonly name: string;
  start(a: Attempt): RunningAttempt;
  /** Waits for cleanup (e.g. cancelled jobs); default nothing. */
  dispose?(): Promise<void>;
}
