/** One task's row in a run's timeline: each attempt's run time, the retry waits drawn apart, its duration trend. */
import { formatDuration } from '../../../core/durations';
import type { TimelineBar } from '../../../core/run/history';

const pct = (f: number) => `${f * 100}%`;

export function Trend({ series }: { series: (number | null)[] }) {
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

export function TaskBar(p: {
  bar: TimelineBar;
  trend: (number | null)[];
  onTask(t: string): void;
}) {
  const b = p.bar;
  const several = b.segments.length > 1;
  return (
    <div
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
            style={{ left: pct(b.queuedAt), width: pct(b.start - b.queuedAt) }}
          />
        )}
        {b.waits.map((w) => (
          <span
            key={`w${w.before}`}
            className="bar-retry"
            data-before={w.before}
            style={{ left: pct(w.start), width: pct(w.end - w.start) }}
            title={`waiting ${formatDuration(w.ms)} before attempt ${w.before}`}
          />
        ))}
        {b.segments.map((s) => (
          <span
            key={s.attempt}
            className={`bar status-${s.status}`}
            data-attempt={s.attempt}
            style={{ left: pct(s.start), width: `${Math.max(0.5, (s.end - s.start) * 100)}%` }}
            title={
              several
                ? `${b.task} attempt ${s.attempt}: ${s.status}, ${formatDuration(s.durationMs)}${s.reason ? ` (${s.reason})` : ''}`
                : `${b.task}: ${b.status}, ${formatDuration(b.durationMs)}`
            }
          />
        ))}
      </span>
      <span
        className="bar-time"
        title={several ? `run time of ${b.segments.length} attempts, waits left out` : undefined}
      >
        {formatDuration(b.durationMs)}
        {several ? ` ×${b.segments.length}` : ''}
      </span>
      <Trend series={p.trend} />
    </div>
  );
}
