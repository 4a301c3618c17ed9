/** Each task's last state of one pipeline file, read from its run records (`.tributary/runs/`). */
import * as path from 'node:path';
import { type LastStates, lastStates } from '../core/protocol/lastStates';
import type { RunEvent } from '../core/run/events';
import { listRuns, readRun, statePaths } from '../runner/api';

/** Runs read at most, newest first: enough for every task of a pipeline run in parts. */
const MAX_RUNS = 200;

function* runsOf(file: string): Generator<RunEvent[]> {
  const { runs } = statePaths(file);
  const key = path.basename(file);
  let read = 0;
  for (const id of listRuns(runs).reverse()) {
    if (read++ >= MAX_RUNS) return;
    const events = readRun(runs, id);
    const first = events[0];
    if (!first || first.event !== 'run_started') continue;
    if (first.file !== key && !first.file.endsWith('/' + key)) continue;
    yield events;
  }
}

export function lastStatesOf(file: string, tasks: readonly string[], live?: string): LastStates {
  return lastStates(runsOf(file), tasks, live);
}
