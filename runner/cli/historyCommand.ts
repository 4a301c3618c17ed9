/** `tributary history`: past runs with their outcome and per-task timings, from the run records. */
import * as path from 'node:path';
import { formatDuration } from '../../core/durations';
import type { HistoryRun } from '../../core/run/history';
import { runStateFrom } from '../../core/run/state';
import { listRuns, readRun } from '../records/eventLog';
import { statePaths } from '../records/paths';
import { readPipelineText } from '../load';
import { makeStyle, table } from './style';

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
        task: name,
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
      skipped: s.order.filter((n) => s.tasks[n]?.state.status === 'complete').length,
      tasks,
    });
    if (out.length >= limit) break;
  }
  return out;
}

export function historyCommand(file: string, flags: { json?: boolean; limit?: number }): number {
  readPipelineText(file);
  const runs = runHistory(file, flags.limit ?? 20);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ file, runs }, null, 2) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write(`no runs of ${file} yet\n`);
    return 0;
  }
  const style = makeStyle(process.stdout);
  const color: Record<string, number> = { success: 32, failed: 31, cancelled: 33, interrupted: 33 };
  for (const r of runs) {
    process.stdout.write(
      `${r.id}  ${r.started}  ${style.paint(color[r.status] ?? 0, r.status)}  ${formatDuration(r.duration_ms)}  ${r.tasks.length} ran, ${r.skipped} complete\n`,
    );
    const slowest = Math.max(0, ...r.tasks.map((t) => t.duration_ms ?? 0));
    const rows = r.tasks.map((t) => [
      `  ${t.task}`,
      t.status,
      String(t.attempts),
      t.duration_ms !== null ? formatDuration(t.duration_ms) : '',
      t.duration_ms !== null && t.duration_ms === slowest && r.tasks.length > 1 ? '← slowest' : '',
    ]);
    if (rows.length > 0)
      process.stdout.write(table(rows, ['  TASK', 'RESULT', 'TRIES', 'TIME', '']) + '\n');
    process.stdout.write('\n');
  }
  return 0;
}
