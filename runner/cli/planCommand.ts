/** `tributary plan` and `tributary status`: what a run would do and why, without running anything. */
import { TargetCheckError } from '../targets/postgres';
import { UserError } from '../userError';
import { PipelineContext } from '../context';
import { statePaths } from '../records/paths';
import { liveRunId } from '../records/lock';
import { StateStore } from '../state/store';
import { LocalTargetChecker, type TargetChecker } from '../targets/check';
import type { LoadedPipeline } from '../load';
import { checkTaskNames, loadValid, printWarnings } from './common';
import { type PartitionFlags, withPartitions } from './partitionFlags';
import { instanceTargets } from '../run/partitioned';
import { splitInstanceId } from '../../core/partitions/expand';
import { renderGrid } from './partitionStatus';
import { instanceStates, partitionedRows } from '../status/partitionStates';
import { makeStyle, table } from '../render/style';

export interface PlanFlags extends PartitionFlags {
  force?: boolean;
  downstream?: boolean;
  param?: Record<string, string>;
  json?: boolean;
}

export let makeTargetChecker = (): TargetChecker => new LocalTargetChecker();
export function setTargetCheckerFactory(f: () => TargetChecker): void {
  makeTargetChecker = f;
}

async function contextFor(
  loaded: LoadedPipeline,
  params: Record<string, string>,
): Promise<PipelineContext> {
  const ctx = new PipelineContext(
    loaded,
    new StateStore(statePaths(loaded.file)).load(),
    makeTargetChecker(),
    { params },
  );
  await ctx.prepare().catch((e: unknown) => {
    throw e instanceof TargetCheckError ? new UserError(e.message) : e;
  });
  return ctx;
}

function partitionsNote(keys: string[] | undefined): string {
  if (!keys) return '';
  return keys.length === 1
    ? ` (partition ${keys[0]})`
    : ` (partitions ${keys[0]} … ${keys.at(-1)}, ${keys.length})`;
}

export async function planCommand(
  file: string,
  tasks: string[],
  flags: PlanFlags,
): Promise<number> {
  const plain = loadValid(file, flags.param ?? {});
  printWarnings(file, plain);
  checkTaskNames(plain, tasks);
  // The partitions a run with the same flags would run (default: the latest finished one).
  const loaded = withPartitions(plain, flags);
  const ctx = await contextFor(loaded, flags.param ?? {});
  const plan = ctx.plan(instanceTargets(loaded, tasks), !!flags.force, !!flags.downstream);
  if (flags.json) {
    const doc = {
      pipeline: loaded.pipeline.name,
      file,
      ...(loaded.partitioned ? { partitions: loaded.partitioned.keys } : {}),
      // A partition's instance is its task and its partition (as in the run records).
      tasks: plan.steps.map((s) => {
        const { task, partition } = splitInstanceId(s.task);
        return {
          task,
          ...(partition !== undefined ? { partition } : {}),
          action: s.action,
          reason: s.reason,
        };
      }),
      run: plan.steps.filter((s) => s.action === 'run').map((s) => s.task),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return 0;
  }
  const style = makeStyle(process.stdout);
  let n = 0;
  const rows = plan.steps.map((s) => [
    s.action === 'run' ? `${++n}.` : '',
    s.task,
    s.action === 'run' ? style.paint(36, 'run') : style.paint(90, 'skip'),
    s.reason,
  ]);
  process.stdout.write(
    `plan for ${loaded.pipeline.name}${partitionsNote(loaded.partitioned?.keys)}: ${n} of ${plan.steps.length} tasks will run\n\n${table(rows, ['', 'TASK', 'ACTION', 'WHY'])}\n`,
  );
  return 0;
}

export async function statusCommand(
  file: string,
  flags: PartitionFlags & { json?: boolean },
): Promise<number> {
  // Every partition so far unless --partition/--from/--to narrow it.
  const loaded = withPartitions(loadValid(file), flags, { all: true });
  const ctx = await contextFor(loaded, {});
  // A task the running run has started is running, not a crashed attempt.
  const live = liveRunId(statePaths(loaded.file).lock);
  if (loaded.partitioned) {
    const rows = partitionedRows(loaded, ctx, live);
    const keys = loaded.partitioned.keys;
    if (flags.json)
      process.stdout.write(
        JSON.stringify(
          { pipeline: loaded.pipeline.name, file, partitions: keys, tasks: rows },
          null,
          2,
        ) + '\n',
      );
    else process.stdout.write(renderGrid(rows, keys, process.stdout.columns || 100) + '\n');
    return 0;
  }
  const states = instanceStates(ctx, live);
  const rows = ctx.order.map((i) => states.get(i)!);
  if (flags.json) {
    process.stdout.write(
      JSON.stringify({ pipeline: loaded.pipeline.name, file, tasks: rows }, null, 2) + '\n',
    );
    return 0;
  }
  const style = makeStyle(process.stdout);
  const color: Record<string, number> = { complete: 32, stale: 33, failed: 31, 'never run': 90 };
  process.stdout.write(
    table(
      rows.map((r) => [
        r.task,
        style.paint(color[r.state] ?? 0, r.state),
        r.state === 'complete' ? '' : r.reason,
        r.last_finished ?? '',
      ]),
      ['TASK', 'STATE', 'WHY', 'LAST FINISHED'],
    ) + '\n',
  );
  return 0;
}
