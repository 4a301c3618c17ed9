/** One pipeline as the runner sees it for one run or one inspection: concrete tasks, stored state, completeness. */
import { topologicalOrder } from '../core/graph/algorithms';
import type { PartitionValues } from '../core/partitions/partitions';
import type { Fingerprint } from '../core/run/events';
import { type OwnCheck, type Plan, planRun } from '../core/run/plan';
import { checkTask, fingerprintOf, unchangedSince } from './completeness';
import type { Target, Task } from '../core/model';
import type { LoadedPipeline } from './load';
import type { StateStore } from './state/store';
import type { TargetChecker } from './targets/check';
import {
  type CheckSpec,
  type ConcreteTarget,
  resolveCheckSpec,
  resolveTaskSpec,
  type SpecContext,
  type SpecMemo,
  type TaskSpec,
} from './taskSpec';

/** A target on disk: nothing to fetch before planning. */
const onDisk = (t: Target): boolean => t.kind === 'path';

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
  /** What planning needs of tasks that may never run (most of them in a no-op re-run). */
  private readonly checks = new Map<number, CheckSpec>();
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

  private specContext(i: number): SpecContext {
    return {
      dir: this.loaded.dir,
      params: this.params,
      env: process.env,
      ...(this.o.runId ? { runId: this.o.runId } : {}),
      ...(this.o.triggerFile !== undefined ? { triggerFile: this.o.triggerFile } : {}),
      ...partitionOf(this.loaded, i, this.memos),
    };
  }

  private task(i: number): Task {
    const task = this.loaded.pipeline.tasks[i];
    if (!task) throw new Error(`no task ${i}`);
    return task;
  }

  spec(i: number): TaskSpec {
    let s = this.specs.get(i);
    if (!s) {
      s = resolveTaskSpec(this.loaded.pipeline, this.task(i), this.specContext(i));
      this.specs.set(i, s);
      this.checks.delete(i);
    }
    return s;
  }

  /** Targets and fingerprint keys: the whole spec if it was made, else only these. */
  checkSpec(i: number): CheckSpec {
    let s: CheckSpec | undefined = this.specs.get(i) ?? this.checks.get(i);
    if (!s) {
      s = resolveCheckSpec(this.loaded.pipeline, this.task(i), this.specContext(i));
      this.checks.set(i, s);
    }
    return s;
  }

  /** Drops what was resolved for task `i` (a finished task's spec is not needed again). */
  forget(i: number): void {
    this.specs.delete(i);
    this.checks.delete(i);
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
    return fingerprintOf(this.checkSpec(i), this.loaded.dir, this.upstreamStamps(i), this.checker);
  }

  /** Fetches database target states before planning. */
  async prepare(tasks: Iterable<number> = this.order): Promise<void> {
    const all: ConcreteTarget[] = [];
    for (const i of tasks) {
      // Path targets are on disk, nothing to fetch: their tasks need no spec yet.
      const t = this.task(i);
      if (t.inputs.every(onDisk) && t.outputs.every(onDisk)) continue;
      const s = this.checkSpec(i);
      for (const x of [...s.outputs, ...s.inputs]) if (x.abs === undefined) all.push(x);
    }
    await this.checker.prepare(all);
  }

  ownCheck(i: number): OwnCheck {
    // The file is the point of a triggered run: its fingerprint leaves ${trigger.file} out.
    if (this.o.triggerFile !== undefined && this.checkSpec(i).usesTrigger)
      return { complete: false, reason: `triggered by ${this.o.triggerFile}` };
    return checkTask(
      this.checkSpec(i),
      this.store.tasks[this.name(i)],
      () => this.fingerprint(i),
      this.checker,
      this.loaded.partitioned
        ? undefined
        : (before) =>
            unchangedSince(
              before,
              this.checkSpec(i),
              this.loaded.dir,
              this.upstreamPairs(i),
              this.checker,
            ),
    );
  }

  /** `upstreamStamps` of an unpartitioned pipeline as (name, stamp) pairs, made as they are read. */
  private *upstreamPairs(i: number): Generator<[string, string]> {
    const g = this.loaded.graph;
    for (const id of g.incoming[i] ?? []) {
      const name = this.name(g.edges[id]?.from as number);
      yield [name, this.store.tasks[name]?.successStamp ?? ''];
    }
  }

  plan(targets: string[], force: boolean, downstream: boolean): Plan {
    const g = this.loaded.graph;
    this.checker.listFolders?.(this.order.flatMap((i) => this.checkSpec(i).outputs));
    try {
      const targetIds = targets.map((t) => g.index.get(t) as number);
      return planRun(g, this.order, { targets: targetIds, force, downstream }, (i) =>
        this.ownCheck(i),
      );
    } finally {
      this.checker.forgetFolders?.();
      // 10,000 check specs (~250 bytes a task) need not wait for their task: a task that runs
      // resolves its whole spec when it starts, and anything asked again is resolved again.
      this.checks.clear();
    }
  }
}
