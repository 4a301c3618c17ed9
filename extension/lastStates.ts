/** Each task's last state of one pipeline file, read from its run records (`.tributary/runs/`). */
import * as fs from 'node:fs';
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

/** Finished records do not change: the answer is kept until a record is added or grows. */
const cache = new Map<string, { key: string; value: LastStates }>();

export function lastStatesOf(file: string, tasks: readonly string[], live?: string): LastStates {
  const { runs } = statePaths(file);
  const ids = listRuns(runs);
  const newest = ids.at(-1);
  // The live run's record grows with every event; its tasks' states come from the live state.
  let grown = 'live';
  if (newest && newest !== live) {
    try {
      grown = String(fs.statSync(path.join(runs, `${newest}.jsonl`)).size);
    } catch {
      grown = '?';
    }
  }
  const key = `${ids.length}|${newest}|${grown}|${live ?? ''}|${tasks.join(',')}`;
  const hit = cache.get(file);
  if (hit?.key === key) return hit.value;
  const value = lastStates(runsOf(file), tasks, live);
  cache.set(file, { key, value });
  return value;
}
