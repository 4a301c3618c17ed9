/** Past runs as `tributary history --json` and the webview's timeline show them, and their timing facts. */

export interface HistoryTask {
  task: string;
  /** The partition of a partitioned task's instance. */
  partition?: string;
  /** A task state; `interrupted` for one left unfinished by a run that never ended (kill -9). */
  status: string;
  attempts: number;
  queued: string | null;
  started: string;
  finished: string | null;
  duration_ms: number | null;
}

export interface HistoryRun {
  id: string;
  started: string;
  status: string;
  /** An interrupted run's: up to its last event or task log write. */
  duration_ms: number;
  trigger: string | null;
  /** The run's partitions, oldest first (a partitioned run). */
  partitions?: string[];
  skipped: number;
  tasks: HistoryTask[];
}

export interface TimelineBar {
  task: string;
  status: string;
  attempts: number;
  /** Share of the run's span, 0–1, from the run's start. */
  queuedAt: number | null;
  start: number;
  end: number;
  durationMs: number;
  slow: boolean;
}

/** Bars of a Gantt chart for one run; the `slowest` longest tasks are marked. */
export function timeline(run: HistoryRun, slowest = 3): TimelineBar[] {
  const t0 = Date.parse(run.started);
  const span = Math.max(1, run.duration_ms);
  const share = (iso: string | null, fallback: number): number =>
    iso === null ? fallback : Math.min(1, Math.max(0, (Date.parse(iso) - t0) / span));
  const bars = run.tasks.map((t) => {
    const start = share(t.started, 0);
    return {
      task: t.task,
      status: t.status,
      attempts: t.attempts,
      queuedAt: t.queued === null ? null : share(t.queued, start),
      start,
      end: Math.max(start, share(t.finished, 1)),
      durationMs: t.duration_ms ?? 0,
      slow: false,
    };
  });
  const cutoff = [...bars]
    .map((b) => b.durationMs)
    .sort((a, b) => b - a)
    .slice(0, slowest)
    .at(-1);
  if (cutoff !== undefined && cutoff > 0) for (const b of bars) b.slow = b.durationMs >= cutoff;
  return bars;
}

/** Each task's durations over the given runs, oldest first (null where it did not run). */
export function durationTrends(runs: HistoryRun[]): Map<string, (number | null)[]> {
  const oldestFirst = [...runs].reverse();
  const out = new Map<string, (number | null)[]>();
  oldestFirst.forEach((run, i) => {
    for (const t of run.tasks) {
      let series = out.get(t.task);
      if (!series) {
        series = Array<number | null>(oldestFirst.length).fill(null);
        out.set(t.task, series);
      }
      series[i] = t.duration_ms;
    }
  });
  return out;
}
