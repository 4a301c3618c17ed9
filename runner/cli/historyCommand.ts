/** `tributary history`: past runs with their outcome and per-task timings, from the run records. */
import { formatDuration } from '../../core/durations';
import { runHistory } from '../records/history';
import { readPipelineText } from '../load';
import { makeStyle, table } from '../render/style';

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
