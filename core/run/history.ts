/** Past runs as `tributary history --json` and the webview's timeline show them, and their timing facts. */
import type { Metrics } from './events';

/** One attempt of a task: a retried task has several, with the runner's retry wait between them. */
export interface HistoryTry {
  attempt: number;
  started: string;
  /** null for an attempt a killed run left unfinished. */
  finished: string | null;
  /** This attempt's run time alone; null while unfinished. */
  duration_ms: number | null;
  /** `failed` or `timed_out` for a retried attempt; the task's end status for the last. */
  status: string;
  /** Why it failed (the retry's reason, or the last attempt's message). */
  reason?: string;
  /** The retry delay the runner waited before this attempt (attempts 2 and later). */
  retry_delay_ms?: number;
}

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
  /** Each attempt's own times (additive; absent in histories read before it existed). */
  tries?: HistoryTry[];
  /** What a successful attempt reported through $TRIBUTARY_METRICS. */
  metrics?: Metrics;
}

export interface HistoryRun {
  id: string;
  started: string;
  status: string;
  /** An interrupted run's: up to its last event or task log write. */
  duration_ms: number;
  trigger: string | null;
  /** What started it when not a person (`serve`): `schedule '0 0 * * *'`; null for a run by hand. */
  started_by?: string | null;
  /** The run's partitions, oldest first (a partitioned run). */
  partitions?: string[];
  skipped: number;
  /** The tasks skipped as complete (`skipped` of them), in plan order. */
  complete?: string[];
  /** The tasks not run because a task they need failed, in plan order. */
  upstream_failed?: string[];
  /**
   * Planned tasks that never started and have no outcome: the run was cancelled or killed (or
   * ended) before it reached them, in plan order; empty while the run is still going.
   */
  not_started?: string[];
  tasks: HistoryTask[];
}

/** Why a run's `not_started` tasks did not run, as the History panel and `tributary history` say it. */
export function notStartedReason(runStatus: string): string {
  return runStatus === 'cancelled' || runStatus === 'interrupted' ? runStatus : `run ${runStatus}`;
}

/** Part of a bar: one attempt's run time, as shares of the run's span. */
export interface BarSegment {
  attempt: number;
  status: string;
  start: number;
  end: number;
  durationMs: number;
  reason?: string;
}

/** The gap between two attempts: the runner waiting to retry (and for a free worker). */
export interface BarWait {
  /** The attempt it waits for. */
  before: number;
  start: number;
  end: number;
  ms: number;
}

export interface TimelineBar {
  task: string;
  status: string;
  attempts: number;
  /** Share of the run's span, 0–1, from the run's start. */
  queuedAt: number | null;
  start: number;
  end: number;
  /** The task's run time: its attempts' times added, retry waits left out. */
  durationMs: number;
  slow: boolean;
  /** One per attempt (a task read without attempt times has one, from start to end). */
  segments: BarSegment[];
  waits: BarWait[];
}

/** Bars of a Gantt chart for one run; the `slowest` longest tasks are marked. */
export function timeline(run: HistoryRun, slowest = 3): TimelineBar[] {
  const t0 = Date.parse(run.started);
  const span = Math.max(1, run.duration_ms);
  const share = (iso: string | null, fallback: number): number =>
    iso === null ? fallback : Math.min(1, Math.max(0, (Date.parse(iso) - t0) / span));
  const bars = run.tasks.map((t): TimelineBar => {
    const start = share(t.started, 0);
    const end = Math.max(start, share(t.finished, 1));
    const tries = t.tries ?? [];
    const segments: BarSegment[] =
      tries.length === 0
        ? [{ attempt: t.attempts, status: t.status, start, end, durationMs: t.duration_ms ?? 0 }]
        : tries.map((a, i) => {
            const s = share(a.started, start);
            const last = i === tries.length - 1;
            // An unfinished last attempt (a killed run) runs to the task's end.
            const e = a.finished === null ? (last ? end : s) : share(a.finished, s);
            const ms =
              a.duration_ms ??
              (last && t.duration_ms !== null
                ? Math.max(0, t.duration_ms - (Date.parse(a.started) - Date.parse(t.started)))
                : 0);
            return {
              attempt: a.attempt,
              status: last && a.finished === null ? t.status : a.status,
              start: s,
              end: Math.max(s, e),
              durationMs: ms,
              ...(a.reason ? { reason: a.reason } : {}),
            };
          });
    const waits: BarWait[] = [];
    for (let i = 1; i < segments.length; i++) {
      const prev = tries[i - 1]!;
      const next = tries[i]!;
      if (prev.finished === null) continue;
      waits.push({
        before: next.attempt,
        start: segments[i - 1]!.end,
        end: Math.max(segments[i - 1]!.end, segments[i]!.start),
        ms: Math.max(0, Date.parse(next.started) - Date.parse(prev.finished)),
      });
    }
    return {
      task: t.task,
      status: t.status,
      attempts: t.attempts,
      queuedAt: t.queued === null ? null : share(t.queued, start),
      start,
      end,
      durationMs:
        tries.length > 1 ? segments.reduce((n, s) => n + s.durationMs, 0) : (t.duration_ms ?? 0),
      slow: false,
      segments,
      waits,
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

/** A metric a task reported, over the given runs, oldest first (null where it was not reported). */
export interface MetricTrend {
  task: string;
  metric: string;
  /** Numbers; null where the task did not run, failed or did not report it. */
  values: (number | null)[];
  /** The run of each value, oldest first. */
  runs: string[];
}

/** Each numeric metric of each task over the given runs (newest first in, oldest first out). */
export function metricTrends(runs: HistoryRun[]): MetricTrend[] {
  const oldestFirst = [...runs].reverse();
  const out = new Map<string, MetricTrend>();
  oldestFirst.forEach((run, i) => {
    for (const t of run.tasks)
      for (const [metric, v] of Object.entries(t.metrics ?? {})) {
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        const key = `${t.task}\u0000${metric}`;
        let trend = out.get(key);
        if (!trend) {
          trend = {
            task: t.task,
            metric,
            values: Array<number | null>(oldestFirst.length).fill(null),
            runs: oldestFirst.map((r) => r.id),
          };
          out.set(key, trend);
        }
        // Several instances of a partitioned task in one run: the last one's value.
        trend.values[i] = v;
      }
  });
  return [...out.values()];
}

const LOWER_BETTER = new Set(
  'loss error errors err rmse mse mae mape smape latency duration time seconds secs ms wer cer perplexity'.split(
    ' ',
  ),
);

/**
 * A metric where less is better (a loss, an error, a time), so that a rise is the bad change:
 * judged by the words of its name (`val_loss`, `errorRate`), not by substrings (`interrupts`).
 */
export function lowerIsBetter(metric: string): boolean {
  return metric
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => LOWER_BETTER.has(word));
}
