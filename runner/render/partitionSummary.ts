/** The closing summary of a backfill: one row per partition (what ran, what was complete, what failed). */
import { formatDuration } from '../../core/durations';
import { splitInstanceId } from '../../core/partitions/expand';
import { countRun, type RunState } from '../../core/run/state';
import { type Style, table } from './style';

export interface PartitionOutcome {
  partition: string;
  /** success: all its tasks ran or were complete; failed: one failed or was blocked. */
  result: 'success' | 'complete' | 'failed' | 'cancelled' | 'not run';
  ran: number;
  complete: number;
  failed: string[];
}

const FAILED = new Set(['failed', 'timed_out', 'upstream_failed']);

/** Outcomes per partition, in the run's key order; the unpartitioned tasks under the key `''`. */
export function partitionOutcomes(state: RunState, keys: readonly string[]): PartitionOutcome[] {
  const by = new Map<string, PartitionOutcome>();
  const get = (k: string): PartitionOutcome => {
    let o = by.get(k);
    if (!o) by.set(k, (o = { partition: k, result: 'not run', ran: 0, complete: 0, failed: [] }));
    return o;
  };
  for (const k of keys) get(k);
  const cancelled = new Set<string>();
  const pending = new Set<string>();
  for (const name of state.order) {
    const { task, partition = '' } = splitInstanceId(name);
    const o = get(partition);
    const st = state.tasks[name]?.state.status ?? 'pending';
    if (st === 'complete') o.complete++;
    else if (st === 'success') o.ran++;
    else if (FAILED.has(st)) {
      if (st !== 'upstream_failed') o.ran++;
      // A task blocked by another's failure did not fail itself: say so.
      o.failed.push(st === 'upstream_failed' ? `${task} (blocked)` : task);
    } else if (st === 'cancelled') cancelled.add(partition);
    else pending.add(partition);
  }
  for (const o of by.values())
    o.result =
      o.failed.length > 0
        ? 'failed'
        : cancelled.has(o.partition)
          ? 'cancelled'
          : pending.has(o.partition)
            ? 'not run'
            : o.ran > 0
              ? 'success'
              : 'complete';
  return [...by.values()];
}

const LOOK: Record<PartitionOutcome['result'], [string, number]> = {
  success: ['✓ succeeded', 32],
  complete: ['↷ complete', 90],
  failed: ['✗ failed', 31],
  cancelled: ['■ cancelled', 33],
  'not run': ['· not run', 90],
};

export function renderPartitionSummary(
  state: RunState,
  keys: readonly string[],
  tails: Map<string, string[]>,
  style: Style,
): string {
  const outcomes = partitionOutcomes(state, keys);
  const rows = outcomes.map((o) => {
    const [label, color] = LOOK[o.result];
    return [
      o.partition || '(all partitions)',
      style.paint(color, label),
      String(o.ran),
      String(o.complete),
      o.failed.join(', '),
    ];
  });
  const out = [table(rows, ['PARTITION', 'RESULT', 'RAN', 'COMPLETE', 'FAILED'])];
  // The last lines of the first few failures (a thousand failed days would drown the screen).
  const failedNames = state.order.filter((n) => {
    const st = state.tasks[n]?.state.status;
    return st === 'failed' || st === 'timed_out';
  });
  for (const name of failedNames.slice(0, 5)) {
    const tail = tails.get(name);
    if (tail && tail.length > 0)
      out.push(
        '',
        style.paint(31, `last lines of ${name}:`),
        ...tail.slice(-10).map((l) => `  ${l}`),
      );
  }
  const n = (r: PartitionOutcome['result']): number =>
    outcomes.filter((o) => o.partition !== '' && o.result === r).length;
  const c = countRun(state);
  const head =
    state.status === 'success'
      ? style.paint(32, 'succeeded')
      : state.status === 'cancelled'
        ? style.paint(33, 'cancelled')
        : style.paint(31, 'failed');
  out.push(
    '',
    `backfill ${state.id} ${head}: ${keys.length} partitions, ${n('success')} ran, ${n('complete')} already complete, ${n('failed')} failed${n('cancelled') + n('not run') ? `, ${n('cancelled') + n('not run')} not finished` : ''}; ${c.succeeded} tasks ran, in ${formatDuration(state.durationMs ?? 0)}`,
  );
  return out.join('\n');
}
