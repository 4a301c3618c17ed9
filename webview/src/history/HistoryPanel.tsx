/**
 * Recent runs, each metric's trend across them, and the timeline (Gantt) of the chosen one: each
 * attempt apart, the slowest tasks marked, the tasks that did not run listed; for a partitioned
 * pipeline, a filter shows the runs of one partition and only its tasks.
 */
import { useMemo, useState } from 'react';
import { formatDuration } from '../../../core/durations';
import { durationTrends, timeline, type HistoryRun } from '../../../core/run/history';
import './history.css';
import { MetricTrends } from './MetricTrends';
import { NotRun } from './NotRun';
import { TaskBar } from './TaskBar';

/** The tasks that failed in a run, named in the run list. */
function failedIn(r: HistoryRun): string {
  const names = r.tasks
    .filter((t) => t.status === 'failed' || t.status === 'timed_out')
    .map((t) => t.task);
  return names.length > 2
    ? `${names.slice(0, 2).join(', ')} +${names.length - 2}`
    : names.join(', ');
}

/** Every partition the runs touched, newest first. */
function partitionsOf(runs: HistoryRun[]): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of r.partitions ?? []) keys.add(k);
  return [...keys].sort().reverse();
}

/** The runs of one partition, each with only that partition's tasks and the unpartitioned ones. */
function ofPartition(runs: HistoryRun[], key: string | null): HistoryRun[] {
  if (key === null) return runs;
  // Names in the not-run lists are run-state names: `task@KEY` for an instance.
  const ours = (n: string) => !n.includes('@') || n.endsWith(`@${key}`);
  return runs
    .filter((r) => r.partitions?.includes(key))
    .map((r) => ({
      ...r,
      tasks: r.tasks.filter((t) => t.partition === undefined || t.partition === key),
      ...(r.complete ? { complete: r.complete.filter(ours) } : {}),
      ...(r.upstream_failed ? { upstream_failed: r.upstream_failed.filter(ours) } : {}),
      ...(r.not_started ? { not_started: r.not_started.filter(ours) } : {}),
    }));
}

/** Ticks under the Gantt: the run's time from its start. */
function TimeAxis({ ms }: { ms: number }) {
  return (
    <div className="time-axis" aria-label="time from the run's start">
      <span className="bar-name" />
      <span className="bar-track">
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <span key={f} className="tick" style={{ left: `${f * 100}%` }}>
            {formatDuration(Math.round(ms * f))}
          </span>
        ))}
      </span>
      <span className="bar-time" />
    </div>
  );
}

export function HistoryPanel(p: {
  runs: HistoryRun[] | null;
  onClose(): void;
  onTask(t: string): void;
  /** A run was chosen in the list: the graph is coloured by it. */
  onRun(run: HistoryRun): void;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [partition, setPartition] = useState<string | null>(null);
  const all = useMemo(() => p.runs ?? [], [p.runs]);
  const keys = useMemo(() => partitionsOf(all), [all]);
  const runs = useMemo(() => ofPartition(all, partition), [all, partition]);
  const run = runs.find((r) => r.id === chosen) ?? runs[0];
  const bars = useMemo(() => (run ? timeline(run) : []), [run]);
  const trends = useMemo(() => durationTrends(runs), [runs]);
  const choose = (r: HistoryRun) => {
    setChosen(r.id);
    p.onRun(r);
  };
  return (
    <div className="history" role="region" aria-label="Run history">
      <div className="history-head">
        <b>History</b>
        {keys.length > 0 && (
          <select
            className="history-partition"
            aria-label="Show the runs of one partition"
            value={partition ?? ''}
            onChange={(e) => {
              setPartition(e.target.value === '' ? null : e.target.value);
              setChosen(null);
            }}
          >
            <option value="">All partitions</option>
            {keys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        )}
        <button className="close" title="Close" onClick={p.onClose}>
          ×
        </button>
      </div>
      {p.runs === null && <div className="empty">Loading…</div>}
      {p.runs !== null && runs.length === 0 && (
        <div className="empty">{partition ? `No runs of ${partition}.` : 'No runs yet.'}</div>
      )}
      <ul className="runs">
        {runs.map((r) => (
          <li
            key={r.id}
            data-run={r.id}
            className={`run status-${r.status}${r === run ? ' chosen' : ''}`}
            onClick={() => choose(r)}
          >
            <i /> {new Date(r.started).toLocaleString()} · {r.status}
            {failedIn(r) ? <b className="failed-task"> ({failedIn(r)})</b> : null} ·{' '}
            {formatDuration(r.duration_ms)}
            {r.started_by ? ` · ${r.started_by}` : r.trigger ? ` · ${r.trigger}` : ''}
          </li>
        ))}
      </ul>
      <MetricTrends
        runs={runs}
        chosen={run?.id}
        onRun={(id) => {
          const r = runs.find((x) => x.id === id);
          if (r) choose(r);
        }}
      />
      {run && (
        <div className="gantt" data-run={run.id}>
          <div className="gantt-title">
            Run of {new Date(run.started).toLocaleString()} · {run.status}
          </div>
          {bars.length === 0 && (
            <div className="empty">
              {/* A run cancelled before its first task started ran nothing, but not as complete. */}
              {run.not_started?.length
                ? `Nothing ran: the run was ${run.status === 'interrupted' ? 'killed' : 'stopped'} before any task started.`
                : 'Nothing ran: every task was complete.'}
            </div>
          )}
          {bars.map((b, i) => (
            <TaskBar
              key={`${i}:${b.task}`}
              bar={b}
              trend={trends.get(b.task) ?? []}
              onTask={p.onTask}
            />
          ))}
          {bars.length > 0 && <TimeAxis ms={run.duration_ms} />}
          <NotRun
            complete={run.complete ?? []}
            upstreamFailed={run.upstream_failed ?? []}
            notStarted={run.not_started ?? []}
            runStatus={run.status}
            onTask={p.onTask}
          />
        </div>
      )}
    </div>
  );
}
