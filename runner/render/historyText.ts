/** `tributary history`'s text for a run's attempts and the tasks that did not run, compact. */
import { formatDuration } from '../../core/durations';
import { type HistoryRun, type HistoryTask, notStartedReason } from '../../core/run/history';

const SHOWN = 6;

/** `a, b, c … +N`: a long list stays on one line. */
export function compactNames(names: readonly string[], shown = SHOWN): string {
  const more = names.length - shown;
  return names.slice(0, shown).join(', ') + (more > 0 ? ` … +${more}` : '');
}

/** The TRIES cell: the count, and for a retried task the waits before its later attempts. */
export function triesCell(t: HistoryTask): string {
  const waits = (t.tries ?? []).slice(1).flatMap((a, i) => {
    const before = t.tries![i]!;
    return before.finished === null
      ? []
      : [formatDuration(Math.max(0, Date.parse(a.started) - Date.parse(before.finished)))];
  });
  return waits.length === 0 ? String(t.attempts) : `${t.attempts} (waited ${waits.join(', ')})`;
}

/** `train: macro_f1 0.71 · rows 1461`: what each task reported through $TRIBUTARY_METRICS. */
export function metricLines(r: HistoryRun): string[] {
  return r.tasks.flatMap((t) => {
    const entries = Object.entries(t.metrics ?? {});
    if (entries.length === 0) return [];
    const name = t.partition === undefined ? t.task : `${t.task}@${t.partition}`;
    return [`  metrics of ${name}: ${entries.map(([k, v]) => `${k} ${String(v)}`).join(' · ')}`];
  });
}

/** Lines under a run's table: the tasks never reached (a cancel), blocked by a failure, already complete. */
export function notRunLines(r: HistoryRun): string[] {
  const out: string[] = [];
  if (r.not_started?.length)
    out.push(`  not run (${notStartedReason(r.status)}): ${compactNames(r.not_started)}`);
  if (r.upstream_failed?.length)
    out.push(`  not run (upstream failed): ${compactNames(r.upstream_failed)}`);
  if (r.complete?.length) out.push(`  skipped (already complete): ${compactNames(r.complete)}`);
  return out;
}
