/**
 * What validation reuses from one version of a document to the next (the language server keeps
 * one per open file): when an edit leaves every task's name, `needs` and targets as they were
 * (typing in a command, a description, a comment), the graph's shape is the previous one and only
 * its source ranges are taken from the new model; when only `needs` changed, the nodes and data
 * edges are kept and the `needs` edges made again; commands' shell checks are kept by command text.
 * Whatever it returns equals what `buildGraph` and `shellCommand` would (a test compares them).
 */
import { buildGraph, type Edge, type Graph } from '../graph/graph';
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
  /** Results that depend on the shape only (cycles), by name. */
  derived: Map<string, unknown>;
  /** Results that depend on the nodes only, not on `needs` (inputs no task produces), by name. */
  derivedNodes: Map<string, unknown>;
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

function sameNeeds(a: Task, b: Task): boolean {
  if (a.needs.length !== b.needs.length) return false;
  for (let i = 0; i < a.needs.length; i++)
    if (a.needs[i]!.value !== b.needs[i]!.value) return false;
  return true;
}

/** Whether the graph's nodes read the same from both tasks: name and targets (compared in place). */
function sameNode(a: Task, b: Task): boolean {
  if (a === b) return true;
  return a.name === b.name && sameTargets(a.inputs, b.inputs) && sameTargets(a.outputs, b.outputs);
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

/** The previous graph's nodes with the new model's targets (same names and targets). */
function rebindNodes(prev: Shape, p: Pipeline): Graph['nodes'] {
  const g = prev.graph;
  return p.tasks.map((t, i) => {
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
}

/** Edge `k` of the previous graph with its range in the new model (undefined if it has none). */
function rebindEdge(prev: Shape, p: Pipeline, k: number): Edge | undefined {
  const e = prev.graph.edges[k]!;
  const t = p.tasks[e.to]!;
  const at = prev.origins[k]!;
  const range = e.kind === 'needs' ? t.needs[at]?.range : t.inputs[at]?.range;
  return range === e.range ? e : range ? { ...e, range } : undefined;
}

/** The previous graph with the new model's targets and ranges (same tasks, needs, targets). */
function rebind(prev: Shape, p: Pipeline): Graph | undefined {
  const g = prev.graph;
  const nodes = rebindNodes(prev, p);
  const edges = g.edges.map((_, k) => rebindEdge(prev, p, k));
  if (edges.some((e) => !e)) return undefined;
  // index, incoming and outgoing depend on the shape only: shared, never mutated.
  return { ...g, nodes, edges: edges as Graph['edges'] };
}

/**
 * Same names and targets, other `needs` (typing in a `needs` list): the previous nodes and data
 * edges (resolving targets and matching inputs to outputs is the costly part), the `needs`
 * edges made again, in `buildGraph`'s order (all `needs` edges first, then the data edges).
 */
function rewire(prev: Shape, p: Pipeline): { graph: Graph; origins: number[] } | undefined {
  const g = prev.graph;
  const nodes = rebindNodes(prev, p);
  const edges: Edge[] = [];
  const origins: number[] = [];
  const incoming: number[][] = nodes.map(() => []);
  const outgoing: number[][] = nodes.map(() => []);
  const push = (e: Edge, origin: number): void => {
    incoming[e.to]!.push(edges.length);
    outgoing[e.from]!.push(edges.length);
    edges.push(e);
    origins.push(origin);
  };
  p.tasks.forEach((t, to) => {
    // A task's needs edges are unique by upstream task (the first item naming it wins).
    const seen = new Set<number>();
    t.needs.forEach((need, i) => {
      const from = g.index.get(need.value);
      if (from === undefined || seen.has(from)) return;
      seen.add(from);
      push({ from, to, kind: 'needs', range: need.range }, i);
    });
  });
  for (let k = 0; k < g.edges.length; k++) {
    if (g.edges[k]!.kind !== 'data') continue;
    const e = rebindEdge(prev, p, k);
    if (!e) return undefined;
    push(e, prev.origins[k]!);
  }
  return { graph: { nodes, index: g.index, edges, incoming, outgoing }, origins };
}

export class ValidationCache {
  private shape: Shape | undefined;
  private shell = new Map<string, ShellProblems>();
  /** How the graphs were made, for tests and benchmarks. */
  readonly stats = { built: 0, reused: 0, rewired: 0 };

  graph(p: Pipeline, overrides: Record<string, string> = {}): Graph {
    const params = JSON.stringify(effectiveParams(p, overrides));
    const sources = p.sources.map(targetKey).join('\0');
    const prev = this.shape;
    if (
      prev &&
      prev.params === params &&
      prev.sources === sources &&
      prev.tasks.length === p.tasks.length &&
      p.tasks.every((t, i) => sameNode(t, prev.tasks[i]!))
    ) {
      if (p.tasks.every((t, i) => sameNeeds(t, prev.tasks[i]!))) {
        const graph = rebind(prev, p);
        if (graph) {
          this.stats.reused++;
          this.shape = { ...prev, tasks: p.tasks, graph };
          return graph;
        }
      } else {
        const made = rewire(prev, p);
        if (made) {
          this.stats.rewired++;
          this.shape = { ...prev, tasks: p.tasks, ...made, derived: new Map() };
          return made.graph;
        }
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
      derivedNodes: new Map(),
    };
    return graph;
  }

  /**
   * `make()`, computed once per graph shape (call after `graph`); with `nodesOnly`, once per
   * set of nodes: kept across edits of `needs` (for results that read no edge).
   */
  derived<T>(name: string, make: () => T, nodesOnly = false): T {
    const memo = nodesOnly ? this.shape?.derivedNodes : this.shape?.derived;
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
