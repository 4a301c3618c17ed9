/** What a caller of `runPipeline` may ask for: targets, workers, executors, signals and listeners. */
import * as os from 'node:os';
import type { EventBody, RunEvent } from '../../core/run/events';
import type { RunState } from '../../core/run/state';
import type { Executor } from '../executors/types';
import type { TargetChecker } from '../targets/check';
import type { RunResult } from './result';

export interface EngineOptions {
  targets: string[];
  force?: boolean;
  downstream?: boolean;
  workers?: number;
  params?: Record<string, string>;
  triggerFile?: string;
  /** What started the run when not a person (`serve`'s schedule or file), for its record. */
  startedBy?: string;
  executor?: Executor;
  /** Overrides every task's `executor` setting (`--executor`). */
  executorName?: 'local' | 'slurm';
  executors?: Partial<Record<'local' | 'slurm', Executor>>;
  targetChecker?: TargetChecker;
  /** Cancel: running tasks get TERM, then KILL after the executor's grace period. */
  signal?: AbortSignal;
  /** Cancel now (a second Ctrl+C): every running task is KILLed at once, without the grace period. */
  killSignal?: AbortSignal;
  /** Take the lock even if it belongs to a run on another host (`--break-lock`). */
  breakLock?: boolean;
  /** The command running it, named in the lock (Stop from VS Code must not stop a whole serve). */
  command?: 'run' | 'serve';
  onEvent?: (e: RunEvent, state: RunState) => void;
  onOutput?: (task: string, line: string, stream: 'stdout' | 'stderr') => void;
  warn?: (message: string) => void;
  /**
   * Subscribers to the run's end, called after the record is closed and the lock released (a slow
   * mail server never holds the next run back). `runPipeline` adds the pipeline's notifications.
   */
  onFinished?: (result: RunResult, report: LateReport) => Promise<void>;
}

/** Records an event that happened after the run's end (e.g. `notify_error`) in its record. */
export type LateReport = (body: EventBody) => void;

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}
