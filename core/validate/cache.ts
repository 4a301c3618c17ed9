/**
 * What validation reuses from one version of a document to the next (the language server keeps
 * one per open file): when an edit leaves every task's name, `needs` and targets as they were
 * (typing in a command, a description, a comment), the graph's shape is the previous one and only
 * its source ranges are taken from the new model; commands' shell checks are kept by command text.
 * Whatever it returns equals what `buildGraph` and `shellCommand` would (a test compares them).
 */
import { buildGraph, type Graph } from '../graph/graph';
import { effectiveParams } from '../graph/resolve';
import type { Pipeline, Target, Task } from '../model';
import { shellCommand } from '../shell/shellCommand';

type ShellProblems = ReturnType<typeof shellCommand>['problems'];

interface Shape {
  /** The tasks the graph was made from: their names, needs and targets (not ranges) are its shape. */
  tasks: Task[];
  params: string;
  /** The sources, which whole-graph checks read too. */
  sources: string;
  graph: Graph;
  /** Results that depend on the shape only (cycles, inputs no task produces), by name. */
  derived: Map<string, unknown>;
  /** Per edge: the index of the `needs` item or the input that gives it its range. */
  origins: number[];
}

const noRange = (k: string, v: unknown): unknown => (k === 'range' ? undefined : v);

function targetKey(t: Target): string {
  return t.kind === 'path' ? `p${t.path}` : JSON.stringify(t, noRange);
}

function sameTargets(a: Target[], b: Target[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.kind === 'path' && y.kind === 'path' ? x.path !== y.path : targetKey(x) !== targetKey(y))
      return false;
  }
  return true;
}

/** Whether the graph reads the same from both tasks (compared in place: no strings built). */
function sameShape(a: Task, b: Task): boolean {
  if (a === b) return true;
  if (a.name !== b.name || a.needs.length !== b.needs.length) return false;
  for (let i = 0; i < a.needs.length; i++)
    if (a.needs[i]!.value !== b.needs[i]!.value) return false;
  return sameTargets(a.inputs, b.inputs) && sameTargets(a.outputs, b.outputs);
}

/** Which `needs` item or input made each edge (the first one, as `buildGraph` keeps). */
function originsOf(p: Pipeline, g: Graph): number[] {
  return g.edges.map((e) => {
    const t = p.tasks[e.to];
    if (!t) return -1;
    if (e.kind === 'needs') return t.needs.findIndex((n) => g.index.get(n.value) === e.from);
    return (g.nodes[e.to]?.inputs ?? []).findIndex((x) => x.id === e.via && !x.dynamic);
  });
}

/** The previous graph with the new model's targets and ranges (same tasks, needs, targets). */
function rebind(prev: Shape, p: Pipeline): Graph | undefined {
  const g = prev.graph;
  const nodes = p.tasks.map((t, i) => {
    const n = g.nodes[i]!;
    // A task before the edit is the very same object: so are its targets.
    if (
      n.inputs.every((x, j) => x.target === t.inputs[j]) &&
      n.outputs.every((x, j) => x.target === t.outputs[j])
    )
      return n;
    return {
      ...n,
      inputs: n.inputs.map((x, j) => ({ ...x, target: t.inputs[j]! })),
      outputs: n.outputs.map((x, j) => ({ ...x, target: t.outputs[j]! })),
    };
  });
  const edges = g.edges.map((e, k) => {
    const t = p.tasks[e.to]!;
    const at = prev.origins[k]!;
    const range = e.kind === 'needs' ? t.needs[at]?.range : t.inputs[at]?.range;
    return range === e.range ? e : range ? { ...e, range } : undefined;
  });
  if (edges.some((e) => !e)) return undefined;
  // index, incoming and outgoing depend on the shape only: shared, never mutated.
  return { ...g, nodes, edges: edges as Graph['edges'] };
}

export class ValidationCache {
  private shape: Shape | undefined;
  private shell = new Map<string, ShellProblems>();
  /** How the graphs were made, for tests and benchmarks. */
  readonly stats = { built: 0, reused: 0 };

  graph(p: Pipeline, overrides: Record<string, string> = {}): Graph {
    const params = JSON.stringify(effectiveParams(p, overrides));
    const sources = p.sources.map(targetKey).join('\0');
    const prev = this.shape;
    if (
      prev &&
      prev.params === params &&
      prev.sources === sources &&
      prev.tasks.length === p.tasks.length &&
      p.tasks.every((t, i) => sameShape(t, prev.tasks[i]!))
    ) {
      const graph = rebind(prev, p);
      if (graph) {
        this.stats.reused++;
        this.shape = { ...prev, tasks: p.tasks, graph };
        return graph;
      }
    }
    this.stats.built++;
    const graph = buildGraph(p, overrides);
    this.shape = {
      tasks: p.tasks,
      params,
      sources,
      graph,
      origins: originsOf(p, graph),
      derived: new Map(),
    };
    return graph;
  }

  /** `make()`, computed once per graph shape (call after `graph`). */
  derived<T>(name: string, make: () => T): T {
    const memo = this.shape?.derived;
    if (!memo) return make();
    if (!memo.has(name)) memo.set(name, make());
    return memo.get(name) as T;
  }

  /** `shellCommand(run).problems`, kept by command text. */
  shellProblems(run: string): ShellProblems {
    let found = this.shell.get(run);
    if (!found) this.shell.set(run, (found = shellCommand(run).problems));
    return found;
  }

  /** Ends one validation of `tasks` tasks: forgets old commands once they outnumber the tasks. */
  settle(tasks: number): void {
    if (this.shell.size > 2 * tasks + 64) this.shell.clear();
  }
}
