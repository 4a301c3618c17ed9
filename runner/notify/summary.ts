/** What a notification says about a run: one JSON-able summary, shared by e-mail and `notify.command`. */
import * as path from 'node:path';
import type { NotifyEvent } from '../../core/model';
import type { RunState } from '../../core/run/state';
import type { RunResult } from '../run/result';
import type { LoadedPipeline } from '../load';
import { renderSummary } from '../render/summary';
import { plainStyle } from '../render/style';
import { maskDeep } from '../secretEnv';

export interface TaskSummary {
  task: string;
  status: string;
  attempts: number;
  duration_ms: number | null;
  exit_code: number | null;
  message: string | null;
  /** Last lines of its log, for the tasks that failed. */
  tail?: string[];
}

export interface RunSummary {
  pipeline: string;
  file: string;
  run: string;
  status: RunResult['status'];
  started: string;
  duration_ms: number;
  trigger: string | null;
  /** What started the run under `serve` (`schedule '0 0 * * *'`, `file …`); null otherwise. */
  started_by: string | null;
  message: string | null;
  /** The events of `notify.*.on` this run matches. */
  events: NotifyEvent[];
  failed: string[];
  retried: string[];
  tasks: TaskSummary[];
  /** The human-readable table, as the terminal shows it (no colour). */
  text: string;
}

function taskSummaries(state: RunState, tails: Map<string, string[]>): TaskSummary[] {
  return state.order.map((task) => {
    const r = state.tasks[task];
    const s = r?.state;
    const failed = s?.status === 'failed' || s?.status === 'timed_out';
    return {
      task,
      status: s?.status ?? 'pending',
      attempts: r?.attempts ?? 0,
      duration_ms: s && 'durationMs' in s ? s.durationMs : null,
      exit_code: s && 'exitCode' in s ? (s.exitCode ?? null) : null,
      message: s && 'message' in s ? (s.message ?? null) : null,
      ...(failed ? { tail: tails.get(task) ?? [] } : {}),
    };
  });
}

/**
 * What the mail and `notify.command` get. Masked: a failed task's last lines may hold a secret it
 * asked for and printed (a DSN in a psql error, `set -x`), and a notification leaves the machine.
 */
export function summarizeRun(
  loaded: LoadedPipeline,
  result: RunResult,
  startedBy?: string,
): RunSummary {
  return maskDeep(summaryOf(loaded, result, startedBy));
}

function summaryOf(loaded: LoadedPipeline, result: RunResult, startedBy?: string): RunSummary {
  const state = result.state;
  const tasks = taskSummaries(state, result.tails);
  const failed = tasks.filter((t) => t.status === 'failed' || t.status === 'timed_out');
  const retried = tasks.filter((t) => t.attempts > 1).map((t) => t.task);
  const events: NotifyEvent[] = [];
  if (result.status === 'failed') events.push('failure');
  if (result.status === 'success') events.push('success');
  if (retried.length > 0) events.push('retry');
  const duration = state.durationMs ?? Date.now() - state.startedAt;
  return {
    pipeline: loaded.pipeline.name ?? path.basename(loaded.file),
    file: loaded.file,
    run: result.runId,
    status: result.status,
    started: new Date(state.startedAt).toISOString(),
    duration_ms: duration,
    trigger: state.trigger ?? null,
    started_by: startedBy ?? null,
    message: result.message ?? null,
    events,
    failed: failed.map((t) => t.task),
    retried,
    tasks,
    text: renderSummary(state, result.tails, plainStyle),
  };
}
