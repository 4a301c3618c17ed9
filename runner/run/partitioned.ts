/**
 * A partitioned pipeline as the engine runs it: one task per instance (`task@KEY`), edges between
 * instances, and what fills `${partition…}` for each. Everything downstream (plan, state,
 * fingerprints, scheduling) then works per instance without knowing about partitions.
 */
import type { Graph } from '../../core/graph/graph';
import type { Pipeline, Task } from '../../core/model';
import { expandPartitions } from '../../core/partitions/expand';
import {
  allKeys,
  type KeySelection,
  type Partitions,
  resolvePartitions,
  selectKeys,
} from '../../core/partitions/partitions';
import { partitionedTasks } from '../../core/partitions/refs';
import type { LoadedPipeline } from '../load';
import { UserError } from '../userError';

export type { PartitionedRun } from './partitionedRun';

/** The pipeline's partitions, or undefined when no task is partitioned. */
export function partitionsOf(loaded: LoadedPipeline): Partitions | undefined {
  const spec = loaded.pipeline.partitions;
  if (!spec || partitionedTasks(loaded.pipeline).length === 0) return undefined;
  const parts = resolvePartitions(spec);
  // Validation reports a bad section first (invalid-partitions); this is a second guard.
  if (typeof parts === 'string') throw new UserError(`${loaded.file}: ${parts}`);
  return parts;
}

/** The keys a command names (`--partition`, `--from/--to`), or one line (exit 2) saying why not. */
export function keysFor(
  parts: Partitions,
  sel: KeySelection & { all?: boolean },
  now: number,
): string[] {
  const none = !sel.partitions?.length && sel.from === undefined && sel.to === undefined;
  const keys = sel.all && none ? allKeys(parts, now) : selectKeys(parts, sel, now);
  if (typeof keys === 'string') throw new UserError(keys);
  if (keys.length === 0) throw new UserError('no partition has finished yet: nothing to run');
  return keys;
}

/** Kahn's order where, among ready instances, the lowest index (plain, then oldest key) goes first. */
function oldestFirstOrder(n: number, upstream: number[][], downstream: number[][]): number[] {
  const waiting = upstream.map((u) => u.length);
  const heap: number[] = [];
  const push = (v: number): void => {
    let i = heap.push(v) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= v) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = v;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const c = l + 1 < heap.length && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (heap[c]! >= last) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  for (let i = 0; i < n; i++) if (waiting[i] === 0) push(i);
  const order: number[] = [];
  while (heap.length > 0) {
    const u = pop();
    order.push(u);
    for (const d of downstream[u]!) if (--waiting[d]! === 0) push(d);
  }
  return order;
}

/** The pipeline with one task per instance; `loaded.partitioned` says which key fills each. */
export function expandLoaded(
  loaded: LoadedPipeline,
  parts: Partitions,
  keys: string[],
): LoadedPipeline {
  const p = loaded.pipeline;
  const g = loaded.graph;
  const x = expandPartitions(p, parts, keys, g);
  const tasks: Task[] = x.instances.map((inst) =>
    inst.partition === undefined
      ? (p.tasks[inst.taskIndex] as Task)
      : { ...(p.tasks[inst.taskIndex] as Task), name: inst.id },
  );
  const pipeline: Pipeline = { ...p, tasks, taskIndex: new Map(tasks.map((t) => [t.name, t])) };
  const graph: Graph = {
    nodes: x.instances.map((inst) => {
      const node = g.nodes[inst.taskIndex]!;
      return inst.partition === undefined ? node : { ...node, name: inst.id };
    }),
    index: x.index,
    edges: [],
    incoming: x.instances.map(() => []),
    outgoing: x.instances.map(() => []),
  };
  x.upstream.forEach((ups, to) => {
    const range = p.tasks[x.instances[to]!.taskIndex]!.range;
    for (const from of ups) {
      graph.incoming[to]!.push(graph.edges.length);
      graph.outgoing[from]!.push(graph.edges.length);
      graph.edges.push({ from, to, kind: 'needs', range });
    }
  });
  const order = oldestFirstOrder(x.instances.length, x.upstream, x.downstream);
  return { ...loaded, pipeline, graph, partitioned: { parts, keys, expansion: x, order } };
}

/** The instances of the named tasks in the run: a partitioned task names each of its partitions. */
export function instanceTargets(loaded: LoadedPipeline, tasks: string[]): string[] {
  const x = loaded.partitioned?.expansion;
  if (!x) return tasks;
  const wanted = new Set(tasks);
  return x.instances.filter((i) => wanted.has(i.task)).map((i) => i.id);
}
