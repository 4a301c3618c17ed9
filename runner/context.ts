/** One pipeline as the runner sees it for one run or one inspection: concrete tasks, stored state, completeness. */
import { topologicalOrder } from '../core/graph/algorithms';
import type { PartitionValues } from '../core/partitions/partitions';
import type { Fingerprint } from '../core/run/events';
import { type OwnCheck, type Plan, planRun } from '../core/run/plan';
import { checkTask, fingerprintOf } from './completeness';
import type { LoadedPipeline } from './load';
import type { StateStore } from './state/store';
import type { TargetChecker } from './targets/check';
import { resolveTaskSpec, type SpecMemo, type TaskSpec } from './taskSpec';

/** What fills `${partition…}` for instance `i` of a partitioned run, and its task's shared parts. */
function partitionOf(
  loaded: LoadedPipeline,
  i: number,
  memos: Map<string, SpecMemo>,
): { partition?: PartitionValues; memo?: SpecMemo } {
  const inst = loaded.partitioned?.expansion.instances[i];
  if (!inst?.values) return {};
  let memo = memos.get(inst.task);
  if (!memo) memos.set(inst.task, (memo = {}));
  return { partition: inst.values, memo };
}

export interface ContextOptions {
  params?: Record<string, string>;
  runId?: string;
  triggerFile?: string;
}

export class PipelineContext {
  private readonly specs = new Map<number, TaskSpec>();
  private readonly memos = new Map<string, SpecMemo>();
  readonly order: number[];
  readonly params: Record<string, string>;

  constructor(
    readonly loaded: LoadedPipeline,
    readonly store: StateStore,
    readonly checker: TargetChecker,
    private readonly o: ContextOptions = {},
  ) {
    const g = loaded.graph;
    this.order = loaded.partitioned?.order ?? topologicalOrder(g) ?? g.nodes.map((_, i) => i);
    this.params = { ...loaded.pipeline.params, ...o.params };
  }

  spec(i: number): TaskSpec {
    let s = this.specs.get(i);
    if (!s) {
      const task = this.loaded.pipeline.tasks[i];
      if (!task) throw new Error(`no task ${i}`);
      s = resolveTaskSpec(this.loaded.pipeline, task, {
        dir: this.loaded.dir,
        params: this.params,
        env: process.env,
        ...(this.o.runId ? { runId: this.o.runId } : {}),
        ...(this.o.triggerFile !== undefined ? { triggerFile: this.o.triggerFile } : {}),
        ...partitionOf(this.loaded, i, this.memos),
      });
      this.specs.set(i, s);
    }
    return s;
  }

  name(i: number): string {
    return this.loaded.graph.nodes[i]?.name ?? '';
  }

  upstreamStamps(i: number): Record<string, string> {
    const g = this.loaded.graph;
    const x = this.loaded.partitioned?.expansion;
    // An unpartitioned task over partitioned ones (train over every day).
    const over = x && x.instances[i]?.partition === undefined ? new Set<string>() : undefined;
    const out: Record<string, string> = {};
    for (const id of g.incoming[i] ?? []) {
      const from = g.edges[id]?.from as number;
      const up = x?.instances[from];
      if (over && up?.partition !== undefined) {
        over.add(up.task);
        continue;
      }
      const name = this.name(from);
      out[name] = this.store.tasks[name]?.successStamp ?? '';
    }
    // Every partition of those tasks that has succeeded counts, not only this run's: a daily
    // run, a backfill and a status over all partitions then agree, and a new day is a change.
    if (over && over.size > 0)
      for (const [key, memo] of Object.entries(this.store.tasks)) {
        const at = key.indexOf('@');
        if (at > 0 && memo.successStamp && over.has(key.slice(0, at))) out[key] = memo.successStamp;
      }
    return out;
  }

  fingerprint(i: number): Fingerprint {
    return fingerprintOf(this.spec(i), this.loaded.dir, this.upstreamStamps(i), this.checker);
  }

  /** Fetches database target states before planning. */
  async prepare(tasks: Iterable<number> = this.order): Promise<void> {
    const all = [...tasks].flatMap((i) => [...this.spec(i).outputs, ...this.spec(i).inputs]);
    await this.checker.prepare(all.filter((t) => t.abs === undefined));
  }

  ownCheck(i: number): OwnCheck {
    // The file is the point of a triggered run: its fingerprint leaves ${trigger.file} out.
    if (this.o.triggerFile !== undefined && this.spec(i).usesTrigger)
      return { complete: false, reason: `triggered by ${this.o.triggerFile}` };
    return checkTask(
      this.spec(i),
      this.store.tasks[this.name(i)],
      () => this.fingerprint(i),
      this.checker,
    );
  }

  plan(targets: string[], force: boolean, downstream: boolean): Plan {
    const g = this.loaded.graph;
    this.checker.listFolders?.(this.order.flatMap((i) => this.spec(i).outputs));
    try {
      const targetIds = targets.map((t) => g.index.get(t) as number);
      return planRun(g, this.order, { targets: targetIds, force, downstream }, (i) =>
        this.ownCheck(i),
      );
    } finally {
      this.checker.forgetFolders?.();
    }
  }
}
