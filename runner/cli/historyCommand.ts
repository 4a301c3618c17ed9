/** `tributary history`: past runs with their outcome and per-task timings, from the run records. */
import { formatDuration } from '../../core/durations';
import { runHistory } from '../records/history';
import { readPipelineText } from '../load';
import { metricLines, notRunLines, triesCell } from '../render/historyText';
import { makeStyle, table } from '../render/style';

function partitionsNote(keys: string[] | undefined): string {
  if (!keys || keys.length === 0) return '';
  return keys.length === 1
    ? `, partition ${keys[0]}`
    : `, partitions ${keys[0]} … ${keys.at(-1)} (${keys.length})`;
}

/** Beside the counts: the planned tasks a cancel or kill left unstarted (named under the table). */
function notStartedNote(names: string[] | undefined): string {
  return names && names.length > 0 ? `, ${names.length} not started` : '';
}

export function historyCommand(
  file: string,
  flags: { json?: boolean; limit?: number; partition?: string },
): number {
  readPipelineText(file);
  const all = runHistory(file, flags.partition === undefined ? (flags.limit ?? 20) : Infinity);
  // --partition: the runs that ran that partition, with that partition's tasks only.
  const runs =
    flags.partition === undefined
      ? all
      : all
          .filter((r) => r.partitions?.includes(flags.partition!))
          .map((r) => {
            const complete = r.complete?.filter((n) => n.endsWith(`@${flags.partition}`));
            return {
              ...r,
              tasks: r.tasks.filter((t) => t.partition === flags.partition),
              // The partition's own count, as the list it goes with (the run's would be more).
              skipped: complete?.length ?? 0,
              complete,
              upstream_failed: r.upstream_failed?.filter((n) => n.endsWith(`@${flags.partition}`)),
              not_started: r.not_started?.filter((n) => n.endsWith(`@${flags.partition}`)),
            };
          })
          .slice(0, flags.limit ?? 20);
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
      `${r.id}  ${r.started}  ${style.paint(color[r.status] ?? 0, r.status)}  ${formatDuration(r.duration_ms)}  ${r.tasks.length} ran, ${r.skipped} complete${notStartedNote(r.not_started)}${partitionsNote(r.partitions)}${r.started_by ? `  · ${r.started_by}` : ''}\n`,
    );
    const slowest = Math.max(0, ...r.tasks.map((t) => t.duration_ms ?? 0));
    const rows = r.tasks.map((t) => [
      `  ${t.partition === undefined ? t.task : `${t.task}@${t.partition}`}`,
      t.status,
      triesCell(t),
      t.duration_ms !== null ? formatDuration(t.duration_ms) : '',
      t.duration_ms !== null && t.duration_ms === slowest && r.tasks.length > 1 ? '← slowest' : '',
    ]);
    if (rows.length > 0)
      process.stdout.write(table(rows, ['  TASK', 'RESULT', 'TRIES', 'TIME', '']) + '\n');
    for (const line of [...metricLines(r), ...notRunLines(r)]) process.stdout.write(line + '\n');
    process.stdout.write('\n');
  }
  return 0;
}
