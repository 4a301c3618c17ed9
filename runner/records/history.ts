/** Past runs of one pipeline file, read from its run records (newest first). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attemptTimes } from '../../core/run/attempts';
import type { HistoryRun, HistoryTry } from '../../core/run/history';
import { runStateFrom } from '../../core/run/state';
import { splitInstanceId } from '../../core/partitions/expand';
import { listRuns, readRun } from './eventLog';
import { liveRunId } from './lock';
import { statePaths } from './paths';

/** Run state names an instance `task@KEY`; history says the task and its partition apart. */
function taskAndPartition(name: string): { task: string; partition?: string } {
  const { task, partition } = splitInstanceId(name);
  return partition === undefined ? { task } : { task, partition };
}

/** When a file was last written (ms), if it exists. */
function writtenAt(file: string): number | undefined {
  // Whole milliseconds, as every duration of a record (a file's time has a fraction).
  const ms = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  return ms === undefined ? undefined : Math.floor(ms);
}

/** States a task of a killed run may be left in: it never finished, it was interrupted. */
const UNFINISHED = new Set(['running', 'queued', 'retrying', 'pending']);

/** A planned task's outcomes without a start: the plan skipped it, it is listed apart. */
const SKIPPED = new Set(['complete', 'upstream_failed']);

/** A killed run's unfinished attempt: interrupted, running up to the last sign of life. */
function cutTry(a: HistoryTry, cut: boolean, lastSeen: number): HistoryTry {
  if (!cut || a.finished !== null) return a;
  return {
    ...a,
    status: 'interrupted',
    duration_ms: Math.max(0, lastSeen - Date.parse(a.started)),
  };
}

export function runHistory(file: string, limit: number): HistoryRun[] {
  const paths = statePaths(file);
  const key = path.basename(file);
  const out: HistoryRun[] = [];
  const live = liveRunId(paths.lock);
  for (const id of listRuns(paths.runs).reverse()) {
    const events = readRun(paths.runs, id);
    const first = events[0];
    if (!first || first.event !== 'run_started' || first.file !== key) continue;
    const s = runStateFrom(events);
    const tries = attemptTimes(events);
    // A run still going has no end yet either: it is running, not interrupted.
    const running = id === live && !events.some((e) => e.event === 'run_finished');
    const finished = running || events.some((e) => e.event === 'run_finished');
    // A killed runner (kill -9) wrote no end: its last sign of life is its last event or the
    // last write to a task's log (a task printing for minutes writes no events meanwhile).
    let lastSeen = events.length > 0 ? Date.parse(events[events.length - 1]!.ts) : s.startedAt;
    const tasks = s.order
      .map((name) => ({ name, r: s.tasks[name] }))
      .filter(({ r }) => r && r.startedAt !== undefined)
      .map(({ name, r }) => {
        const cut = !finished && UNFINISHED.has(r!.state.status);
        const logged = cut ? writtenAt(path.join(paths.logs, id, `${name}.log`)) : undefined;
        if (logged !== undefined) lastSeen = Math.max(lastSeen, logged);
        const own: HistoryTry[] = tries.get(name) ?? [];
        const state = r!.state;
        return {
          ...taskAndPartition(name),
          status: cut ? 'interrupted' : r!.state.status,
          attempts: r!.attempts,
          queued: r!.queuedAt !== undefined ? new Date(r!.queuedAt).toISOString() : null,
          started: new Date(r!.startedAt!).toISOString(),
          finished: r!.finishedAt !== undefined ? new Date(r!.finishedAt).toISOString() : null,
          duration_ms:
            'durationMs' in r!.state
              ? r!.state.durationMs
              : cut
                ? Math.max(logged ?? lastSeen, r!.startedAt!) - r!.startedAt!
                : null,
          ...(own.length > 0 ? { tries: own.map((a) => cutTry(a, cut, logged ?? lastSeen)) } : {}),
          ...(state.status === 'success' && state.metrics ? { metrics: state.metrics } : {}),
        };
      });
    const named = (status: string) => s.order.filter((n) => s.tasks[n]?.state.status === status);
    // The plan (run_started's `tasks`) names every task; one neither started nor skipped was
    // never reached (pending or queued at a cancel or a kill). Derived here from the records'
    // existing events, so a run writes nothing more for them.
    const notStarted = running
      ? []
      : s.order.filter((n) => {
          const r = s.tasks[n];
          return r !== undefined && r.startedAt === undefined && !SKIPPED.has(r.state.status);
        });
    out.push({
      id,
      started: new Date(s.startedAt).toISOString(),
      status: running ? 'running' : finished ? s.status : 'interrupted',
      duration_ms: s.durationMs ?? Math.max(0, (running ? Date.now() : lastSeen) - s.startedAt),
      trigger: first.trigger ?? null,
      started_by: first.started_by ?? null,
      ...(first.partitions ? { partitions: first.partitions } : {}),
      skipped: named('complete').length,
      complete: named('complete'),
      upstream_failed: named('upstream_failed'),
      not_started: notStarted,
      tasks,
    });
    if (out.length >= limit) break;
  }
  return out;
}
