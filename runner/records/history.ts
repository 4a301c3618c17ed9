/** Past runs of one pipeline file, read from its run records (newest first). */
import * as path from 'node:path';
import type { HistoryRun } from '../../core/run/history';
import { runStateFrom } from '../../core/run/state';
import { splitInstanceId } from '../../core/partitions/expand';
import { listRuns, readRun } from './eventLog';
import { statePaths } from './paths';

/** Run state names an instance `task@KEY`; history says the task and its partition apart. */
function taskAndPartition(name: string): { task: string; partition?: string } {
  const { task, partition } = splitInstanceId(name);
  return partition === undefined ? { task } : { task, partition };
}

export function runHistory(file: string, limit: number): HistoryRun[] {
  const paths = statePaths(file);
  const key = path.basename(file);
  const out: HistoryRun[] = [];
  for (const id of listRuns(paths.runs).reverse()) {
    const events = readRun(paths.runs, id);
    const first = events[0];
    if (!first || first.event !== 'run_started' || first.file !== key) continue;
    const s = runStateFrom(events);
    const finished = events.some((e) => e.event === 'run_finished');
    const tasks = s.order
      .map((name) => ({ name, r: s.tasks[name] }))
      .filter(({ r }) => r && r.startedAt !== undefined)
      .map(({ name, r }) => ({
        ...taskAndPartition(name),
        status: r!.state.status,
        attempts: r!.attempts,
        queued: r!.queuedAt !== undefined ? new Date(r!.queuedAt).toISOString() : null,
        started: new Date(r!.startedAt!).toISOString(),
        finished: r!.finishedAt !== undefined ? new Date(r!.finishedAt).toISOString() : null,
        duration_ms: 'durationMs' in r!.state ? r!.state.durationMs : null,
      }));
    out.push({
      id,
      started: new Date(s.startedAt).toISOString(),
      status: finished ? s.status : 'interrupted',
      duration_ms:
        s.durationMs ??
        (events.length > 0 ? Date.parse(events[events.length - 1]!.ts) - s.startedAt : 0),
      trigger: first.trigger ?? null,
      ...(first.partitions ? { partitions: first.partitions } : {}),
      skipped: s.order.filter((n) => s.tasks[n]?.state.status === 'complete').length,
      tasks,
    });
    if (out.length >= limit) break;
  }
  return out;
}
