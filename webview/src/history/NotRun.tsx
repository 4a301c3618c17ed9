/**
 * A run's tasks that did not run, compact: never reached (the run was cancelled or killed first),
 * blocked by an upstream failure, and skipped as complete.
 */
import { notStartedReason } from '../../../core/run/history';

const SHOWN = 6;

function Names(p: { names: string[]; onTask(t: string): void }) {
  const shown = p.names.slice(0, SHOWN);
  const more = p.names.length - shown.length;
  return (
    <span className="not-run-names" title={p.names.slice(0, 200).join(', ')}>
      {shown.map((n, i) => (
        <span key={n}>
          {i > 0 ? ', ' : ''}
          {/* An instance `task@KEY` selects its task. */}
          <a onClick={() => p.onTask(n.split('@')[0] ?? n)}>{n}</a>
        </span>
      ))}
      {more > 0 ? ` … +${more}` : ''}
    </span>
  );
}

export function NotRun(p: {
  complete: string[];
  upstreamFailed: string[];
  notStarted: string[];
  /** The run's status: why its not-started tasks did not run (`cancelled`, `interrupted`). */
  runStatus: string;
  onTask(t: string): void;
}) {
  if (p.complete.length === 0 && p.upstreamFailed.length === 0 && p.notStarted.length === 0)
    return null;
  return (
    <div className="not-run">
      {p.notStarted.length > 0 && (
        <div className="not-run-not-started">
          <b>Not run ({notStartedReason(p.runStatus)}):</b>{' '}
          <Names names={p.notStarted} onTask={p.onTask} />
        </div>
      )}
      {p.upstreamFailed.length > 0 && (
        <div className="not-run-upstream">
          <b>Not run (upstream failed):</b> <Names names={p.upstreamFailed} onTask={p.onTask} />
        </div>
      )}
      {p.complete.length > 0 && (
        <div className="not-run-complete">
          <b>Skipped (already complete):</b> <Names names={p.complete} onTask={p.onTask} />
        </div>
      )}
    </div>
  );
}
