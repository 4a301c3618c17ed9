/** The result shown after a task's CodeLens (▶ Run · ↻ Rerun · ⇣ With downstream · ✓ success in 1.2s): the same state the graph shows. */
import { formatDuration } from '../core/durations';

const ICON: Record<string, string> = {
  running: '$(sync~spin)',
  retrying: '$(sync~spin)',
  success: '$(pass)',
  failed: '$(error)',
  timed_out: '$(watch)',
  cancelled: '$(circle-slash)',
  interrupted: '$(circle-slash)',
  upstream_failed: '$(debug-disconnect)',
};

/** `$(circle-slash) cancelled after 3.04s`, `$(pass) success in 536ms`; undefined: nothing to say. */
export function lensResult(status: string | undefined, durationMs?: number): string | undefined {
  if (!status || !ICON[status]) return undefined;
  const words = status.replace('_', ' ');
  const time =
    durationMs === undefined || status === 'upstream_failed' || status === 'running'
      ? ''
      : `${status === 'success' ? ' in' : ' after'} ${formatDuration(durationMs)}`;
  return `${ICON[status]} ${words}${time}`;
}
