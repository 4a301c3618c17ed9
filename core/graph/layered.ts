/**
 * A fast layered layout of the core's own, for graphs too large for elkjs: ranks by longest
 * path from the roots, one barycenter sweep to untangle, fixed spacing. Linear in nodes + edges.
 */

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[];
  edges: { source: string; target: string }[];
  direction: 'RIGHT' | 'DOWN';
}

export type Positions = Record<string, { x: number; y: number }>;

export function layeredLayout(input: LayoutInput, gapRank = 80, gapNode = 24): Positions {
  const index = new Map(input.nodes.map((n, i) => [n.id, i]));
  const n = input.nodes.length;
  const out: number[][] = input.nodes.map(() => []);
  const indeg = new Array<number>(n).fill(0);
  for (const e of input.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    out[s]?.push(t);
    indeg[t] = (indeg[t] ?? 0) + 1;
  }
  // Longest-path ranks (Kahn); nodes left in cycles get the rank after their placed parents.
  const rank = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h] as number;
    for (const v of out[u] ?? []) {
      rank[v] = Math.max(rank[v] ?? 0, (rank[u] ?? 0) + 1);
      indeg[v] = (indeg[v] ?? 0) - 1;
      if (indeg[v] === 0) queue.push(v);
    }
  }
  const ranks: number[][] = [];
  for (let i = 0; i < n; i++) (ranks[rank[i] ?? 0] ??= []).push(i);
  // One downward barycenter sweep: order each rank by the mean position of its parents.
  const position = new Array<number>(n).fill(0);
  const parents: number[][] = input.nodes.map(() => []);
  out.forEach((targets, s) => targets.forEach((t) => parents[t]?.push(s)));
  ranks.forEach((layer) => {
    const key = (i: number): number => {
      const ps = parents[i] ?? [];
      return ps.length
        ? ps.reduce((a, p) => a + (position[p] ?? 0), 0) / ps.length
        : (position[i] ?? 0);
    };
    layer.sort((a, b) => key(a) - key(b) || a - b);
    layer.forEach((i, k) => (position[i] = k));
  });
  const result: Positions = {};
  const rankSize = ranks.map((layer) =>
    Math.max(
      0,
      ...layer.map(
        (i) => (input.direction === 'RIGHT' ? input.nodes[i]?.width : input.nodes[i]?.height) ?? 0,
      ),
    ),
  );
  let offset = 0;
  ranks.forEach((layer, r) => {
    let cross = 0;
    for (const i of layer) {
      const node = input.nodes[i];
      if (!node) continue;
      result[node.id] =
        input.direction === 'RIGHT' ? { x: offset, y: cross } : { x: cross, y: offset };
      cross += (input.direction === 'RIGHT' ? node.height : node.width) + gapNode;
    }
    offset += (rankSize[r] ?? 0) + gapRank;
  });
  return result;
}
