/** A task on the canvas: name, short command, status icon and colour, duration, attempt, diagnostics, actions. */
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo, useLayoutEffect, useRef } from 'react';
import { formatDuration } from '../../../core/durations';
import type { Metrics } from '../../../core/run/events';
import type { FlowNode } from '../toFlow';
import { NodeMenu } from './NodeMenu';
import { PartitionStrip } from '../partitions/PartitionStrip';
import { post } from '../vscodeApi';

export const STATUS_ICON: Record<string, string> = {
  pending: 'circle-large-outline',
  queued: 'clock',
  running: 'loading',
  retrying: 'sync',
  success: 'pass-filled',
  failed: 'error',
  timed_out: 'watch',
  cancelled: 'circle-slash',
  complete: 'check',
  upstream_failed: 'debug-disconnect',
  stale: 'history',
  will_run: 'play-circle',
};

const ACTIONS = [
  { mode: 'run', title: 'Run', icon: 'play' },
  { mode: 'rerun', title: 'Rerun (force)', icon: 'refresh' },
  { mode: 'downstream', title: 'Run with downstream', icon: 'run-below' },
] as const;

/** The first metrics, compact: `accuracy 0.931 · rows 1,461`. */
export function formatMetrics(m: Metrics, count = 3): string {
  return Object.entries(m)
    .slice(0, count)
    .map(
      ([k, v]) =>
        `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en') : v.toPrecision(3)) : String(v)}`,
    )
    .join(' · ');
}

/** States a person must not miss: a badge on the node at any zoom, not only the coloured edge. */
const ALARM: Record<string, string> = {
  failed: 'failed',
  timed_out: 'timed out',
  upstream_failed: 'upstream failed',
  cancelled: 'cancelled',
};

/** Names longer than this wrap in a smaller font instead of losing characters to an ellipsis. */
const LONG_NAME = 22;

function StateBadge({ status, failedPartitions }: { status: string; failedPartitions?: number }) {
  const words = ALARM[status];
  if (!words && failedPartitions)
    return (
      <span className="state-badge status-failed" data-badge="partitions-failed">
        <span className="codicon codicon-error" /> {failedPartitions} partition
        {failedPartitions === 1 ? '' : 's'} failed
      </span>
    );
  if (!words) return null;
  return (
    <span className={`state-badge status-${status}`} data-badge={status}>
      <span className={`codicon codicon-${STATUS_ICON[status] ?? 'error'}`} /> {words}
    </span>
  );
}

function shortRun(run = ''): string {
  const first = run.split('\n')[0] ?? '';
  return first.length > 42 ? first.slice(0, 41) + '…' : first;
}

export const TaskNode = memo(function TaskNode({
  id,
  data,
  targetPosition,
  sourcePosition,
}: NodeProps<FlowNode>) {
  const ref = useRef<HTMLDivElement>(null);
  const st = data.status.status;
  // The node's outer element (React Flow's) carries data-status too, beside its data-id.
  useLayoutEffect(() => {
    const wrapper = ref.current?.closest('.react-flow__node') as HTMLElement | null;
    if (wrapper) wrapper.dataset.status = st;
  }, [st]);
  const errors = data.model.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = data.model.diagnostics.length - errors;
  const tip = [
    data.status.reason,
    ...data.model.diagnostics.map((d) => `${d.severity}: ${d.message}`),
  ]
    .filter(Boolean)
    .join('\n');
  const action = (mode: 'run' | 'rerun' | 'downstream') => (e: React.MouseEvent) => {
    e.stopPropagation();
    post({ type: 'run/task', task: id, mode });
  };
  if (data.simple) {
    return (
      <div
        ref={ref}
        className={`task-node simple status-${st}`}
        data-id={id}
        data-status={st}
        title={tip}
      >
        <Handle type="target" position={targetPosition ?? Position.Left} />
        <span className="task-name">{id}</span>
        <StateBadge status={st} failedPartitions={data.status.failedPartitions} />
        {errors > 0 && (
          <span className="badge error corner" title={tip}>
            {errors}
          </span>
        )}
        {data.strip && (
          <PartitionStrip
            task={id}
            data={data.strip}
            vertical={(sourcePosition ?? Position.Right) === Position.Bottom}
            anchor={ref}
          />
        )}
        <Handle type="source" position={sourcePosition ?? Position.Right} />
      </div>
    );
  }
  return (
    <div
      ref={ref}
      className={`task-node status-${st}${data.selected ? ' selected' : ''}${id.length > LONG_NAME ? ' long' : ''}`}
      data-id={id}
      data-status={st}
      title={tip}
    >
      <Handle type="target" position={targetPosition ?? Position.Left} />
      <div className="task-head">
        <span
          className={`codicon codicon-${STATUS_ICON[st] ?? 'circle'}${st === 'running' ? ' codicon-modifier-spin' : ''}`}
          aria-label={st}
        />
        <span className="task-name" title={id}>
          {id}
        </span>
        {errors > 0 && (
          <span className="badge error" title={tip}>
            {errors}
          </span>
        )}
        {warnings > 0 && (
          <span className="badge warning" title={tip}>
            {warnings}
          </span>
        )}
      </div>
      {data.status.metrics ? (
        <div className="task-run task-metrics" title={data.model.run}>
          {formatMetrics(data.status.metrics)}
        </div>
      ) : (
        <div className="task-run">{shortRun(data.model.run)}</div>
      )}
      <div className="task-foot">
        <span className="task-meta">
          {data.status.durationMs !== undefined
            ? formatDuration(data.status.durationMs)
            : data.status.words
              ? data.status.words
              : st === 'will_run' && data.status.reason
                ? `will run: ${data.status.reason}`
                : st.replace('_', ' ')}
          {(data.status.attempt ?? 1) > 1 ? ` · try ${data.status.attempt}` : ''}
        </span>
        {ACTIONS.map((a) => (
          <button
            key={a.mode}
            className="icon-button"
            title={a.title}
            aria-label={`${a.title}: ${id}`}
            data-action={a.mode}
            onClick={action(a.mode)}
          >
            <span className={`codicon codicon-${a.icon}`} />
          </button>
        ))}
        <NodeMenu task={id} partition={data.strip?.keys[data.strip.shown]} />
      </div>
      <StateBadge status={st} failedPartitions={data.status.failedPartitions} />
      {data.strip && (
        <PartitionStrip
          task={id}
          data={data.strip}
          vertical={(sourcePosition ?? Position.Right) === Position.Bottom}
          anchor={ref}
        />
      )}
      <Handle type="source" position={sourcePosition ?? Position.Right} />
    </div>
  );
});

export const SourceNode = memo(function SourceNode({
  id,
  data,
  sourcePosition,
}: NodeProps<FlowNode>) {
  return (
    <div
      className="source-node"
      data-id={id}
      data-kind="source"
      title={`source: ${data.model.label}`}
    >
      <span className="codicon codicon-database" /> <span>{data.model.label}</span>
      <Handle type="source" position={sourcePosition ?? Position.Right} isConnectable={false} />
    </div>
  );
});
