/** Each task's state, per partition for a partitioned task: what `status` and the editor show. */
import type { KeySelection } from '../../core/partitions/partitions';
import { PipelineContext } from '../context';
import { type LoadedPipeline, loadPipeline } from '../load';
import { liveRunId } from '../records/lock';
import { statePaths } from '../records/paths';
import { expandLoaded, keysFor, partitionsOf } from '../run/partitioned';
import { StateStore } from '../state/store';
import { LocalTargetChecker } from '../targets/check';

export type InstanceState = 'complete' | 'stale' | 'failed' | 'never run';

export interface StatusRow {
  task: string;
  state: InstanceState;
  reason: string;
  last_run: string | null;
  last_finished: string | null;
  last_duration_ms: number | null;
}

/** A partitioned task's summary: `partial` when some partitions are complete and the rest to run. */
export type TaskState = InstanceState | 'partial';

export interface PartitionedStatusRow extends Omit<StatusRow, 'state'> {
  partitioned: true;
  state: TaskState;
  /** State per partition key, oldest first. */
  partitions: Record<string, InstanceState>;
  /** How many partitions are in each state. */
  counts: Record<InstanceState, number>;
}

/** One instance's state from its completeness and its last attempt. */
export function instanceState(ctx: PipelineContext, i: number, live?: string): StatusRow {
  const name = ctx.name(i);
  const memo = ctx.store.tasks[name];
  // Started by the run that holds the lock now: not a crash, it is still going (to be run).
  const runningNow = memo?.status === 'running' && live !== undefined && memo.run === live;
  const own = ctx.ownCheck(i);
  const state: InstanceState = runningNow
    ? 'stale'
    : own.complete
      ? 'complete'
      : memo === undefined
        ? 'never run'
        : memo.status === 'failed' || memo.status === 'running'
          ? 'failed'
          : 'stale';
  // A task without outputs is never complete; when its last attempt failed, that is the news.
  const reason = runningNow
    ? `running now (run ${live})`
    : state === 'failed' && memo?.status === 'failed' && !own.reason.startsWith('last attempt')
      ? 'last attempt failed'
      : own.reason;
  return {
    task: name,
    state,
    reason,
    last_run: memo?.run ?? null,
    last_finished: memo?.finished ?? null,
    last_duration_ms: memo?.durationMs ?? null,
  };
}

/**
 * Every instance's state by index, as `run` sees it: a task complete on its own but below one that
 * will run (stale, failed, never run) is stale, "upstream X will run", as `plan` says.
 */
export function instanceStates(ctx: PipelineContext, live?: string): Map<number, StatusRow> {
  const g = ctx.loaded.graph;
  const x = ctx.loaded.partitioned?.expansion;
  const rows = new Map<number, StatusRow>();
  for (const i of ctx.order) {
    const row = instanceState(ctx, i, live);
    // A task over all partitions goes by its own fingerprint (the partitions that succeeded
    // since it ran), not by partitions still to run: a daily run leaves it complete.
    const over = x !== undefined && x.instances[i]?.partition === undefined;
    if (row.state === 'complete')
      for (const id of g.incoming[i] ?? []) {
        const from = g.edges[id]?.from as number;
        if (over && x.instances[from]?.partition !== undefined) continue;
        if (rows.get(from)?.state === 'complete') continue;
        row.state = 'stale';
        row.reason = `upstream ${ctx.name(from)} will run`;
        break;
      }
    rows.set(i, row);
  }
  return rows;
}

/**
 * A partitioned task's own state: complete when every partition is, failed when any is, never
 * run when none has run, partial when some are complete and others to run, else stale.
 */
export function summaryState(c: Record<InstanceState, number>): TaskState {
  const total = c.complete + c.failed + c.stale + c['never run'];
  if (c.complete === total) return 'complete';
  if (c.failed) return 'failed';
  if (c['never run'] === total) return 'never run';
  return c.complete ? 'partial' : 'stale';
}

/** Rows per task (file order): a partitioned task folds its instances into `partitions`. */
export function partitionedRows(
  loaded: LoadedPipeline,
  ctx: PipelineContext,
  live?: string,
): (StatusRow | PartitionedStatusRow)[] {
  const x = loaded.partitioned!.expansion;
  const byTask = new Map<string, StatusRow | PartitionedStatusRow>();
  const fileOrder = new Map<string, number>();
  const states = instanceStates(ctx, live);
  for (const i of ctx.order) {
    const inst = x.instances[i]!;
    const row = states.get(i)!;
    fileOrder.set(inst.task, inst.taskIndex);
    if (inst.partition === undefined) {
      byTask.set(inst.task, row);
      continue;
    }
    let agg = byTask.get(inst.task) as PartitionedStatusRow | undefined;
    if (!agg) {
      const counts = { complete: 0, failed: 0, stale: 0, 'never run': 0 };
      agg = { ...row, task: inst.task, partitioned: true, partitions: {}, counts };
      byTask.set(inst.task, agg);
    }
    agg.partitions[inst.partition] = row.state;
    agg.counts[row.state]++;
    // The last run and finish: the newest partition's.
    if ((row.last_finished ?? '') > (agg.last_finished ?? '')) {
      agg.last_run = row.last_run;
      agg.last_finished = row.last_finished;
      agg.last_duration_ms = row.last_duration_ms;
    }
  }
  for (const agg of byTask.values()) {
    if (!('partitioned' in agg)) continue;
    const states = Object.values(agg.partitions);
    const done = agg.counts.complete;
    const failed = agg.counts.failed;
    agg.state = summaryState(agg.counts);
    agg.reason =
      done === states.length
        ? 'complete'
        : `${done} of ${states.length} partitions complete${failed ? ` (${failed} failed)` : ''}`;
  }
  return [...byTask.values()].sort(
    (a, b) => (fileOrder.get(a.task) ?? 0) - (fileOrder.get(b.task) ?? 0),
  );
}

/** `status --json` of a partitioned pipeline. */
export interface PartitionStatusDoc {
  pipeline: string | undefined;
  file: string;
  /** The partitions looked at, oldest first. */
  partitions: string[];
  tasks: (StatusRow | PartitionedStatusRow)[];
}

/**
 * The status of a partitioned pipeline file without the CLI (the editor's strips): every
 * partition so far, or those selected; undefined when the file is invalid or not partitioned.
 */
export async function partitionStatus(
  file: string,
  sel: KeySelection = {},
  now: number = Date.now(),
): Promise<PartitionStatusDoc | undefined> {
  const loaded = loadPipeline(file);
  if (loaded.findings.some((f) => f.severity === 'error')) return undefined;
  const parts = partitionsOf(loaded);
  if (!parts) return undefined;
  const view = expandLoaded(loaded, parts, keysFor(parts, { ...sel, all: true }, now));
  const ctx = new PipelineContext(
    view,
    new StateStore(statePaths(file)).load(),
    new LocalTargetChecker(),
  );
  await ctx.prepare();
  return {
    pipeline: loaded.pipeline.name,
    file,
    partitions: view.partitioned!.keys,
    tasks: partitionedRows(view, ctx, liveRunId(statePaths(file).lock)),
  };
}
