/** After a failed run, over the graph: which task failed, and a button that brings it into view (it may be off-screen in a narrow pane). */
import { useState } from 'react';
import type { RunState } from '../../../core/run/state';

const FAILED = new Set(['failed', 'timed_out']);

export function RunOutcome(p: { run: RunState | null; onShow(task: string): void }) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  const run = p.run;
  if (!run || run.status !== 'failed' || dismissed === run.id) return null;
  const failed = run.order.filter((t) => FAILED.has(run.tasks[t]?.state.status ?? ''));
  const first = failed[0];
  if (first === undefined) return null;
  const name = first.split('@')[0] ?? first;
  return (
    <div className="plan-banner plan-error run-outcome" id="run-outcome" role="status">
      <span className="codicon codicon-error" /> The run failed at <b>{first}</b>
      {failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}
      <button className="icon-button" id="run-outcome-show" onClick={() => p.onShow(name)}>
        Show
      </button>
      <button
        className="icon-button"
        title="Dismiss"
        aria-label="Dismiss"
        onClick={() => setDismissed(run.id)}
      >
        <span className="codicon codicon-close" />
      </button>
    </div>
  );
}
