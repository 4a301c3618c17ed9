/**
 * The task instances of a partitioned run: `task@KEY` for each partitioned task and key, the
 * plain task for the others, and the edges between instances, with what fills `${partition…}`.
 */
import { buildGraph, type Graph } from '../graph/graph';
import type { Pipeline } from '../model';
import { type Partitions, type PartitionValues, partitionValues } from './partitions';
import { isPartitioned } from './refs';

export interface TaskInstance {
  /** `task@KEY` for a partitioned task, the task's name otherwise. */
  id: string;
  task: string;
  /** Index of the task in `pipeline.tasks`. */
  taskIndex: number;
  partition?: string;
  /** `partition`, `partition.start`, `partition.end` (one object shared by a key's instances). */
  values?: PartitionValues;
}

export interface Expansion {
  /** Unpartitioned tasks first (file order), then each key oldest first, its tasks in file order. */
  instances: TaskInstance[];
  index: Map<string, number>;
  /** Instance indices each instance waits for. */
  upstream: number[][];
  /** Instance indices that wait for each instance. */
  downstream: number[][];
  edgeCount: number;
}

export function instanceId(task: string, partition?: string): string {
  return partition === undefined ? task : `${task}@${partition}`;
}

/** `task@KEY` → its parts (a task name never holds `@`, partition keys never do either). */
export function splitInstanceId(id: string): { task: string; partition?: string } {
  const at = id.indexOf('@');
  return at === -1 ? { task: id } : { task: id.slice(0, at), partition: id.slice(at + 1) };
}

/**
 * Expands `keys` (already checked, oldest first). Edges: partitioned → partitioned per key;
 * unpartitioned → partitioned to every key's instance (it depends on that one task);
 * partitioned → unpartitioned from every key's instance (all its partitions in the run).
 */
export function expandPartitions(
  p: Pipeline,
  parts: Partitions,
  keys: readonly string[],
  graph: Graph = buildGraph(p),
): Expansion {
  const partitioned = p.tasks.map(isPartitioned);
  const instances: TaskInstance[] = [];
  /** For each task: its instance index per key position, or its one instance. */
  const slots: number[][] = p.tasks.map(() => []);
  p.tasks.forEach((t, i) => {
    if (partitioned[i]) return;
    slots[i]!.push(instances.length);
    instances.push({ id: t.name, task: t.name, taskIndex: i });
  });
  for (const key of keys) {
    const values = partitionValues(parts, key);
    p.tasks.forEach((t, i) => {
      if (!partitioned[i]) return;
      slots[i]!.push(instances.length);
      instances.push({
        id: `${t.name}@${key}`,
        task: t.name,
        taskIndex: i,
        partition: key,
        values,
      });
    });
  }
  const upstream: number[][] = instances.map(() => []);
  const downstream: number[][] = instances.map(() => []);
  let edgeCount = 0;
  const link = (from: number, to: number): void => {
    upstream[to]!.push(from);
    downstream[from]!.push(to);
    edgeCount++;
  };
  const seen = new Set<number>();
  const n = p.tasks.length;
  for (const e of graph.edges) {
    // A needs edge and a data edge between the same two tasks are one dependency.
    if (e.from === e.to || seen.has(e.from * n + e.to)) continue;
    seen.add(e.from * n + e.to);
    const from = slots[e.from]!;
    const to = slots[e.to]!;
    if (partitioned[e.from] === partitioned[e.to])
      for (let k = 0; k < to.length; k++) link(from[k]!, to[k]!);
    else if (partitioned[e.to]) for (const t of to) link(from[0]!, t);
    else for (const f of from) link(f, to[0]!);
  }
  return {
    instances,
    index: new Map(instances.map((x, i) => [x.id, i])),
    upstream,
    downstream,
    edgeCount,
  };
}
