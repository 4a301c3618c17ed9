/**
 * Runs a validated pipeline by composing its four jobs: the folder's lock (records/lock), the
 * run's record and state (run/recorder), running and scheduling (run/execute), and, once the lock
 * is released, the subscribers to the run's end (the pipeline's notifications).
 */
import * as path from 'node:path';
import type { EventBody } from '../core/run/events';
import type { LoadedPipeline } from './load';
import { notifyRun } from './notify/notify';
import { RunLock } from './records/lock';
import { newRunId, statePaths } from './records/paths';
import { Run } from './run/execute';
import type { EngineOptions } from './run/options';
import { RunRecorder } from './run/recorder';
import type { RunResult } from './run/result';

export { defaultWorkers, type EngineOptions } from './run/options';
export type { RunResult } from './run/result';

export async function runPipeline(loaded: LoadedPipeline, o: EngineOptions): Promise<RunResult> {
  const { result, rec } = await lockedRun(loaded, o);
  // After the lock is released: a slow mail server or hook never holds the next run back.
  const report = (body: EventBody): void => rec.late(body);
  await notifyRun(loaded, result, report);
  await o.onFinished?.(result, report);
  return result;
}

/** The run itself, between taking the lock and releasing it; the record is closed before release. */
async function lockedRun(
  loaded: LoadedPipeline,
  o: EngineOptions,
): Promise<{ result: RunResult; rec: RunRecorder }> {
  const runId = newRunId();
  const paths = statePaths(loaded.file);
  const lock = RunLock.acquire(
    paths.lock,
    { run: runId, file: loaded.file, command: o.command ?? 'run' },
    { warn: o.warn ?? (() => {}), breakLock: !!o.breakLock },
  );
  try {
    const rec = new RunRecorder(runId, path.join(paths.runs, `${runId}.jsonl`), paths, o.onEvent);
    try {
      const result = await new Run(loaded, o, rec, paths.logs).execute();
      return { result, rec };
    } finally {
      rec.close();
    }
  } finally {
    lock.release();
  }
}
