/** The closing summary of a run: one row per task, then the last lines of what failed. */
import { formatDuration } from '../../core/durations';
import type { RunState, TaskRecord } from '../../core/run/state';
import { countRun } from '../../core/run/state';
import { type Style, table } from './style';

const LOOK: Record<string, [string, number]> = {
  success: ['✓ success', 32],
  complete: ['↷ complete', 90],
  failed: ['✗ failed', 31],
  timed_out: ['✗ timed out', 31],
  cancelled: ['■ cancelled', 33],
  upstream_failed: ['⊘ upstream failed', 33],
  pending: ['· not run', 90],
  queued: ['· not run', 90],
  running: ['… running', 36],
  retrying: ['… retrying', 36],
};

function note(r: TaskRecord): string {
  const s = r.state;
  switch (s.status) {
    case 'complete':
    case 'upstream_failed':
      return s.reason;
    case 'failed':
    case 'timed_out':
    case 'cancelled':
      return s.message ?? '';
    case 'retrying':
      return s.reason;
    case 'pending':
    case 'queued':
    case 'running':
    case 'success':
      return '';
  }
}

export function renderSummary(
  state: RunState,
  tails: Map<string, string[]>,
  style: Style,
  limit = 200,
): string {
  const rows: string[][] = [];
  const names = state.order;
  const shown =
    names.length > limit
      ? names.filter((n) => state.tasks[n]?.state.status !== 'complete').slice(0, limit)
      : names;
  for (const name of shown) {
    const r = state.tasks[name];
    if (!r) continue;
    const [label, color] = LOOK[r.state.status] ?? [r.state.status, 0];
    const duration = 'durationMs' in r.state ? formatDuration(r.state.durationMs) : '';
    rows.push([
      name,
      style.paint(color, label),
      r.attempts > 0 ? String(r.attempts) : '',
      duration,
      note(r),
    ]);
  }
  // A pipeline without tasks gets no empty table (just the closing line).
  const out = rows.length > 0 ? [table(rows, ['TASK', 'RESULT', 'TRIES', 'TIME', 'NOTE'])] : [];
  if (shown.length < names.length)
    out.push(`(${names.length - shown.length} more complete tasks not listed)`);
  for (const name of names) {
    const st = state.tasks[name]?.state.status;
    const tail = tails.get(name);
    if ((st === 'failed' || st === 'timed_out') && tail && tail.length > 0) {
      out.push(
        '',
        style.paint(31, `last lines of ${name}:`),
        ...tail.slice(-10).map((l) => `  ${l}`),
      );
    }
  }
  const c = countRun(state);
  const ran =
    c.succeeded +
    names.filter((n) =>
      ['failed', 'timed_out', 'cancelled'].includes(state.tasks[n]?.state.status ?? ''),
    ).length;
  const head =
    state.status === 'success'
      ? style.paint(32, 'succeeded')
      : state.status === 'cancelled'
        ? style.paint(33, 'cancelled')
        : style.paint(31, 'failed');
  out.push(
    '',
    `run ${state.id} ${head}: ${ran} ran, ${c.succeeded} succeeded, ${c.failed} failed or blocked, ${c.cancelled ? `${c.cancelled} cancelled, ` : ''}${c.skipped} already complete, in ${formatDuration(state.durationMs ?? 0)}`,
  );
  return out.join('\n');
}
