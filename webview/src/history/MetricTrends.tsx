/**
 * Model metrics over time: each number a task reported through $TRIBUTARY_METRICS, across the
 * listed runs, as a small line chart beside that task's run-time trend, so a drop shows before a deploy.
 */
import { useMemo, useState } from 'react';
import { formatDuration } from '../../../core/durations';
import {
  durationTrends,
  lowerIsBetter,
  metricTrends,
  type HistoryRun,
} from '../../../core/run/history';

const W = 180;
const H = 34;
const PAD = 4;

export function formatMetric(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
}

interface ChartProps {
  label: string;
  values: (number | null)[];
  /** Run ids, oldest first, one per value. */
  runs: string[];
  when: Map<string, string>;
  format(v: number): string;
  /** Which way is worse; undefined: neither (a run time's jitter is not a verdict). */
  lowerBetter: boolean | undefined;
  chosen: string | undefined;
  onRun(id: string): void;
}

/** The latest value and its change from the one before; `worse` when it moved the bad way. */
function latest(values: (number | null)[], lowerBetter: boolean | undefined) {
  const present = values.filter((v): v is number => v !== null);
  const last = present.at(-1);
  const before = present.at(-2);
  if (last === undefined) return null;
  const delta = before === undefined ? 0 : last - before;
  const verdict =
    lowerBetter === undefined || delta === 0
      ? ''
      : (lowerBetter ? delta > 0 : delta < 0)
        ? ' worse'
        : ' better';
  return { last, delta, verdict };
}

function Chart(p: ChartProps) {
  const [hover, setHover] = useState<number | null>(null);
  const present = p.values.filter((v): v is number => v !== null);
  const min = Math.min(...present);
  const max = Math.max(...present);
  const n = p.values.length;
  const x = (i: number) => (n === 1 ? W / 2 : PAD + (i / (n - 1)) * (W - 2 * PAD));
  const y = (v: number) =>
    max === min ? H / 2 : PAD + (1 - (v - min) / (max - min)) * (H - 2 * PAD);
  const points = p.values.flatMap((v, i) => (v === null ? [] : [{ i, v }]));
  const now = latest(p.values, p.lowerBetter);
  const shown = hover === null ? null : p.values[hover];
  return (
    <div className="metric-row" data-metric={p.label}>
      <span className="metric-name" title={p.label}>
        {p.label}
        {/* The chart spans min to max: its scale, so a small change is not read as a fall. */}
        {max > min && (
          <small className="metric-range">
            {p.format(min)} – {p.format(max)}
          </small>
        )}
      </span>
      <svg
        className="metric-chart"
        width={W}
        height={H}
        role="img"
        aria-label={`${p.label} over ${n} runs`}
        onMouseLeave={() => setHover(null)}
      >
        <polyline
          points={points.map(({ i, v }) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          fill="none"
        />
        {points.map(({ i, v }) => (
          <circle
            key={i}
            className={p.runs[i] === p.chosen ? 'chosen' : undefined}
            data-run={p.runs[i]}
            data-value={v}
            cx={x(i)}
            cy={y(v)}
            r={p.runs[i] === p.chosen ? 3.5 : 2.5}
            onMouseEnter={() => setHover(i)}
            onClick={() => p.onRun(p.runs[i]!)}
          >
            <title>{`${p.format(v)} · ${p.when.get(p.runs[i]!) ?? p.runs[i]}`}</title>
          </circle>
        ))}
      </svg>
      <span className="metric-value">
        {shown !== null && shown !== undefined && hover !== null ? (
          <span className="metric-hover">
            {p.format(shown)} <small>{p.when.get(p.runs[hover]!) ?? ''}</small>
          </span>
        ) : now ? (
          <>
            <span className="metric-latest">{p.format(now.last)}</span>
            {now.delta !== 0 && (
              <span className={`metric-delta${now.verdict}`}>
                {now.delta < 0 ? ' ▼ ' : ' ▲ '}
                {p.format(Math.abs(now.delta))}
              </span>
            )}
          </>
        ) : null}
      </span>
    </div>
  );
}

export function MetricTrends(p: {
  runs: HistoryRun[];
  chosen: string | undefined;
  onRun(id: string): void;
}) {
  const trends = useMemo(() => metricTrends(p.runs), [p.runs]);
  const durations = useMemo(() => durationTrends(p.runs), [p.runs]);
  const when = useMemo(
    () => new Map(p.runs.map((r) => [r.id, new Date(r.started).toLocaleString()])),
    [p.runs],
  );
  if (trends.length === 0) return null;
  const tasks = [...new Set(trends.map((t) => t.task))];
  const ids = trends[0]!.runs;
  const common = { runs: ids, when, chosen: p.chosen, onRun: p.onRun };
  return (
    <details className="metric-trends" open>
      <summary>
        Metrics over {ids.length} run{ids.length === 1 ? '' : 's'}
      </summary>
      {tasks.map((task) => (
        <div key={task} className="metric-task" data-task={task}>
          <div className="metric-task-name">{task}</div>
          {trends
            .filter((t) => t.task === task)
            .map((t) => (
              <Chart
                key={t.metric}
                label={t.metric}
                values={t.values}
                format={formatMetric}
                lowerBetter={lowerIsBetter(t.metric)}
                {...common}
              />
            ))}
          <Chart
            label="run time"
            values={durations.get(task) ?? []}
            format={(v) => formatDuration(v)}
            lowerBetter={undefined}
            {...common}
          />
        </div>
      ))}
    </details>
  );
}
