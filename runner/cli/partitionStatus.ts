/** `tributary status` of a partitioned pipeline: each partitioned task's state per partition, as a grid or JSON. */
import type { PipelineContext } from '../context';
import type { LoadedPipeline } from '../load';
import { makeStyle } from '../render/style';

export type InstanceState = 'complete' | 'stale' | 'failed' | 'never run';

export interface StatusRow {
  task: string;
  state: InstanceState;
  reason: string;
  last_run: string | null;
  last_finished: string | null;
  last_duration_ms: number | null;
}

export interface PartitionedStatusRow extends StatusRow {
  partitioned: true;
  /** State per partition key, oldest first. */
  partitions: Record<string, InstanceState>;
}

/** One instance's state from its completeness and its last attempt. */
export function instanceState(ctx: PipelineContext, i: number): StatusRow {
  const name = ctx.name(i);
  const memo = ctx.store.tasks[name];
  const own = ctx.ownCheck(i);
  const state: InstanceState = own.complete
    ? 'complete'
    : memo === undefined
      ? 'never run'
      : memo.status === 'failed' || memo.status === 'running'
        ? 'failed'
        : 'stale';
  return {
    task: name,
    state,
    reason: own.reason,
    last_run: memo?.run ?? null,
    last_finished: memo?.finished ?? null,
    last_duration_ms: memo?.durationMs ?? null,
  };
}

const WORST: InstanceState[] = ['failed', 'stale', 'never run', 'complete'];

/** Rows per task (file order): a partitioned task folds its instances into `partitions`. */
export function partitionedRows(
  loaded: LoadedPipeline,
  ctx: PipelineContext,
): (StatusRow | PartitionedStatusRow)[] {
  const x = loaded.partitioned!.expansion;
  const byTask = new Map<string, StatusRow | PartitionedStatusRow>();
  const fileOrder = new Map<string, number>();
  for (const i of ctx.order) {
    const inst = x.instances[i]!;
    const row = instanceState(ctx, i);
    fileOrder.set(inst.task, inst.taskIndex);
    if (inst.partition === undefined) {
      byTask.set(inst.task, row);
      continue;
    }
    let agg = byTask.get(inst.task) as PartitionedStatusRow | undefined;
    if (!agg) {
      agg = { ...row, task: inst.task, partitioned: true, partitions: {} };
      byTask.set(inst.task, agg);
    }
    agg.partitions[inst.partition] = row.state;
    // The task's own state: its worst partition; the last run and finish: the newest.
    if (WORST.indexOf(row.state) < WORST.indexOf(agg.state)) agg.state = row.state;
    if ((row.last_finished ?? '') > (agg.last_finished ?? '')) {
      agg.last_run = row.last_run;
      agg.last_finished = row.last_finished;
      agg.last_duration_ms = row.last_duration_ms;
    }
  }
  for (const agg of byTask.values()) {
    if (!('partitioned' in agg)) continue;
    const states = Object.values(agg.partitions);
    const done = states.filter((s) => s === 'complete').length;
    const failed = states.filter((s) => s === 'failed').length;
    agg.reason =
      done === states.length
        ? 'complete'
        : `${done} of ${states.length} partitions complete${failed ? ` (${failed} failed)` : ''}`;
  }
  return [...byTask.values()].sort(
    (a, b) => (fileOrder.get(a.task) ?? 0) - (fileOrder.get(b.task) ?? 0),
  );
}

const MARK: Record<InstanceState, [string, number]> = {
  complete: ['✓', 32],
  failed: ['✗', 31],
  stale: ['·', 33],
  'never run': ['·', 90],
};

/** The grid: tasks × the most recent partitions that fit the terminal, ✓ complete ✗ failed · to run. */
export function renderGrid(
  rows: (StatusRow | PartitionedStatusRow)[],
  keys: readonly string[],
  width: number,
): string {
  const style = makeStyle(process.stdout);
  const nameWidth = Math.max(4, ...rows.map((r) => r.task.length));
  const fit = Math.max(7, Math.min(keys.length, width - nameWidth - 4));
  const shown = keys.slice(-fit);
  const out = [
    `partitions ${shown[0] ?? ''} … ${shown.at(-1) ?? ''} (${shown.length === keys.length ? `all ${keys.length}` : `the last ${shown.length} of ${keys.length}`}, oldest left)   ✓ complete  ✗ failed  · to run`,
    '',
  ];
  for (const r of rows) {
    const name = r.task.padEnd(nameWidth);
    if (!('partitioned' in r)) {
      const [m, c] = MARK[r.state];
      out.push(
        `${name}  ${style.paint(c, m)} ${r.state}${r.state === 'complete' ? '' : ` (${r.reason})`}`,
      );
      continue;
    }
    const cells = shown
      .map((k) => {
        const [m, c] = MARK[r.partitions[k] ?? 'never run'];
        return style.paint(c, m);
      })
      .join('');
    out.push(`${name}  ${cells}  ${r.reason}`);
  }
  return out.join('\n');
}
