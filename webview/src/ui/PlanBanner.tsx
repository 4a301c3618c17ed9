/** The plan above the graph: "11 of 15 will run" (reasons are on the nodes), or why it could not be made; both clearable. */
import type { PlanStepModel } from '../../../core/protocol/webview';

export function PlanBanner(p: {
  plan: Record<string, PlanStepModel> | null;
  error: string | null;
  onClear(): void;
}) {
  if (p.error)
    return (
      <div className="plan-banner plan-error" role="alert">
        <span className="codicon codicon-error" /> Plan failed: {p.error}
        <button id="plan-clear" className="icon-button" title="Dismiss" onClick={p.onClear}>
          <span className="codicon codicon-close" />
        </button>
      </div>
    );
  if (!p.plan) return null;
  const steps = Object.values(p.plan);
  const willRun = steps.filter((s) => s.action === 'run').length;
  return (
    <div className="plan-banner plan-summary" role="status">
      <span className="codicon codicon-list-ordered" />{' '}
      {willRun === 0
        ? `Plan: all ${steps.length} tasks are complete, nothing will run`
        : `Plan: ${willRun} of ${steps.length} tasks will run`}{' '}
      <span className="hint">(hover a node for its reason)</span>
      <button id="plan-clear" className="icon-button" title="Clear the plan" onClick={p.onClear}>
        <span className="codicon codicon-close" /> Clear
      </button>
    </div>
  );
}
