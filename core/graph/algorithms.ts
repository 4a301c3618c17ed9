/** Order, reachability, cycles and a structure key over a Graph; iterative so 10,000-task chains cannot overflow the stack. */
import type { Graph } from './graph';

/** Topological order (stable: ties in document order), or undefined when there is a cycle. */
export function topologicalOrder(g: Graph): number[] | undefined {
  const n = g.nodes.length;
  const indegree = new Array<number>(n).fill(0);
  for (const e of g.edges) indegree[e.to] = (indegree[e.to] ?? 0) + 1;
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  const order: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head] as number;
    order.push(u);
    for (const id of g.outgoing[u] ?? []) {
      const v = (g.edges[id] as { to: number }).to;
      indegree[v] = (indegree[v] ?? 0) - 1;
      if (indegree[v] === 0) queue.push(v);
    }
  }
  return order.length === n ? order : undefined;
}

function reach(g: Graph, start: Iterable<number>, dir: 'up' | 'down'): Set<number> {
  const seen = new Set<number>();
  const stack = [...start];
  while (stack.length > 0) {
    const u = stack.pop() as number;
    const list = dir === 'up' ? g.incoming[u] : g.outgoing[u];
    for (const id of list ?? []) {
      const e = g.edges[id];
      if (!e) continue;
      const v = dir === 'up' ? e.from : e.to;
      if (!seen.has(v)) {
        seen.add(v);
        stack.push(v);
      }
    }
  }
  return seen;
}

/** Every task that the given tasks depend on, directly or not (excluding themselves unless in a cycle). */
export const upstreamOf = (g: Graph, tasks: Iterable<number>): Set<number> => reach(g, tasks, 'up');
export const downstreamOf = (g: Graph, tasks: Iterable<number>): Set<number> =>
  reach(g, tasks, 'down');

/** Strongly connected components with a cycle (size > 1, or a self-loop), Tarjan's algorithm without recursion. */
export function cyclicComponents(g: Graph): number[][] {
  const n = g.nodes.length;
  const idx = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (idx[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [u, i] = frame;
      if (i === 0 && idx[u] === -1) {
        idx[u] = low[u] = counter++;
        stack.push(u);
        onStack[u] = true;
      }
      const edges = g.outgoing[u] ?? [];
      if (i < edges.length) {
        frame[1] = i + 1;
        const v = (g.edges[edges[i] as number] as { to: number }).to;
        if (idx[v] === -1) work.push([v, 0]);
        else if (onStack[v]) low[u] = Math.min(low[u] as number, idx[v] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[u] as number);
      if (low[u] === idx[u]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          comp.push(w);
        } while (w !== u);
        const selfLoop = (g.outgoing[u] ?? []).some((id) => g.edges[id]?.to === u);
        if (comp.length > 1 || selfLoop) out.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return out;
}

/** Shortest path from `from` to `to` inside `allowed` (BFS), as node indexes including both ends. */
export function shortestPath(
  g: Graph,
  from: number,
  to: number,
  allowed: Set<number>,
): number[] | undefined {
  const prev = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h] as number;
    if (u === to && h > 0) break;
    for (const id of g.outgoing[u] ?? []) {
      const v = (g.edges[id] as { to: number }).to;
      if (!allowed.has(v) || prev.has(v)) continue;
      prev.set(v, u);
      queue.push(v);
    }
  }
  if (!prev.has(to)) return undefined;
  const path: number[] = [];
  for (let c: number | undefined = to; c !== undefined && c !== -1; c = prev.get(c))
    path.unshift(c);
  return path;
}

/** A short key that changes only when task names or edges change (layout cache key). */
export function structureKey(g: Graph): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x12345678;
  const feed = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
  };
  for (const n of g.nodes) feed(n.name + '\n');
  for (const e of g.edges) feed(`${e.from}>${e.to}>${e.kind}\n`);
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36) + g.nodes.length.toString(36);
}
