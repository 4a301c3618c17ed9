/**
 * Recent runs and the timeline (Gantt) of the chosen one: slowest tasks marked, trend per task;
 * for a partitioned pipeline, a filter shows the runs of one partition and only its tasks.
 */
import { useMemo, useState } from 'react';
import { formatDuration } from '../../../core/durations';
import { durationTrends, timeline, type HistoryRun } from '../../../core/run/history';

function Trend({ series }: { series: (number | null)[] }) {
  const values = series.filter((v): v is number => v !== null);
  if (values.length < 2) return <svg className="trend" />;
  const max = Math.max(...values, 1);
  const w = 60;
  const h = 14;
  const step = w / Math.max(1, series.length - 1);
  const points = series
    .map((v, i) =>
      v === null ? null : `${(i * step).toFixed(1)},${(h - (v / max) * h).toFixed(1)}`,
    )
    .filter((p) => p !== null)
    .join(' ');
  return (
    <svg className="trend" width={w} height={h} aria-label="duration over recent runs">
      <polyline points={points} fill="none" />
    </svg>
  );
}

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
  return runs
    .filter((r) => r.partitions?.includes(key))
    .map((r) => ({
      ...r,
      tasks: r.tasks.filter((t) => t.partition === undefined || t.partition === key),
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
            onClick={() => {
              setChosen(r.id);
              p.onRun(r);
            }}
          >
            <i /> {new Date(r.started).toLocaleString()} · {r.status}
            {failedIn(r) ? <b className="failed-task"> ({failedIn(r)})</b> : null} ·{' '}
            {formatDuration(r.duration_ms)}
            {r.trigger ? ` · ${r.trigger}` : ''}
          </li>
        ))}
      </ul>
      {run && (
        <div className="gantt" data-run={run.id}>
          {bars.length === 0 && <div className="empty">Nothing ran: every task was complete.</div>}
          {bars.map((b) => (
            <div
              key={b.task}
              className={`bar-row${b.slow ? ' slow' : ''}`}
              data-task={b.task}
              onClick={() => p.onTask(b.task)}
            >
              <span className="bar-name" title={b.task}>
                {b.task}
              </span>
              <span className="bar-track">
                {b.queuedAt !== null && b.queuedAt < b.start && (
                  <span
                    className="bar-wait"
                    style={{
                      left: `${b.queuedAt * 100}%`,
                      width: `${(b.start - b.queuedAt) * 100}%`,
                    }}
                  />
                )}
                <span
                  className={`bar status-${b.status}`}
                  style={{
                    left: `${b.start * 100}%`,
                    width: `${Math.max(0.5, (b.end - b.start) * 100)}%`,
                  }}
                  title={`${b.task}: ${b.status}, ${formatDuration(b.durationMs)}${b.attempts > 1 ? `, ${b.attempts} attempts` : ''}`}
                />
              </span>
              <span className="bar-time">{formatDuration(b.durationMs)}</span>
              <Trend series={trends.get(b.task) ?? []} />
            </div>
          ))}
          {bars.length > 0 && <TimeAxis ms={run.duration_ms} />}
        </div>
      )}
    </div>
  );
}
