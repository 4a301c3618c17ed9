/** The task graph: explicit `needs` edges plus data edges inferred from inputs and outputs. */
import picomatch from 'picomatch';
import type { Pipeline, Span } from '../model';
import { isSameOrInside, parentsOf } from '../paths';
import { effectiveParams, type ResolvedTarget, resolveTaskTargets } from './resolve';

export interface GraphNode {
  name: string;
  inputs: ResolvedTarget[];
  outputs: ResolvedTarget[];
}

export interface Edge {
  /** Upstream task index. */
  from: number;
  /** Downstream task index. */
  to: number;
  kind: 'needs' | 'data';
  /** For data edges: the input path that makes the edge. */
  via?: string;
  /** The `needs` item or the input that makes the edge, in the downstream task. */
  range: Span;
}

export interface Graph {
  nodes: GraphNode[];
  index: Map<string, number>;
  edges: Edge[];
  /** Edge ids by downstream task (what a task waits for). */
  incoming: number[][];
  /** Edge ids by upstream task. */
  outgoing: number[][];
}

export function buildGraph(p: Pipeline, paramOverrides: Record<string, string> = {}): Graph {
  const params = effectiveParams(p, paramOverrides);
  const nodes: GraphNode[] = p.tasks.map((t) => ({
    name: t.name,
    ...resolveTaskTargets(t, params),
  }));
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  const g: Graph = {
    nodes,
    index,
    edges: [],
    incoming: nodes.map(() => []),
    outgoing: nodes.map(() => []),
  };
  // One number per (from, to, kind): no key string per edge (20,000 of them at 10,000 tasks).
  const seen = new Set<number>();
  const n = nodes.length;
  const add = (e: Edge): void => {
    const k = (e.from * n + e.to) * 2 + (e.kind === 'data' ? 1 : 0);
    if (seen.has(k)) return;
    seen.add(k);
    g.incoming[e.to]?.push(g.edges.length);
    g.outgoing[e.from]?.push(g.edges.length);
    g.edges.push(e);
  };
  p.tasks.forEach((t, to) => {
    for (const need of t.needs) {
      const from = index.get(need.value);
      if (from !== undefined) add({ from, to, kind: 'needs', range: need.range });
    }
  });
  const producers = outputIndex(nodes);
  nodes.forEach((n, to) => {
    for (const input of n.inputs) {
      for (const from of producersOf(input, producers)) {
        if (from !== to) add({ from, to, kind: 'data', via: input.id, range: input.target.range });
      }
    }
  });
  return g;
}

type OutputIndex = { byId: Map<string, number[]>; all: [string, number][] };

export function outputIndex(nodes: GraphNode[]): OutputIndex {
  const byId = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) {
      if (o.dynamic) continue;
      const list = byId.get(o.id);
      if (list) list.push(i);
      else byId.set(o.id, [i]);
    }
  });
  // Every output as a pair: only glob inputs need it, so it is made on first use.
  let all: [string, number][] | undefined;
  return {
    byId,
    get all(): [string, number][] {
      if (!all) {
        all = [];
        nodes.forEach((n, i) => {
          for (const o of n.outputs) if (!o.dynamic) all?.push([o.id, i]);
        });
      }
      return all;
    },
  };
}

/** Tasks whose outputs an input equals or lies inside (or, for a glob, matches). */
export function producersOf(input: ResolvedTarget, out: OutputIndex): number[] {
  if (input.dynamic) return [];
  if (!input.glob) {
    const found: number[] = [];
    for (const id of [input.id, ...parentsOf(input.id)]) found.push(...(out.byId.get(id) ?? []));
    return found;
  }
  const match = picomatch(input.id, { dot: true });
  const base = picomatch.scan(input.id).base;
  return out.all
    .filter(([id]) => match(id) || (base !== '' && isSameOrInside(base, id)))
    .map(([, i]) => i);
}
