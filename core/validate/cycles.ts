/**
 * `cycle`: reported once on every edge of every cycle, spelled `a → b → a` in data-flow order, with
 * the cycle's other edges as related information (so an editor can walk the whole cycle).
 */
import { cyclicComponents, shortestPath } from '../graph/algorithms';
import type { Edge, Graph } from '../graph/graph';
import type { Finding, Span } from '../model';

/** `components` may come from a previous version with the same graph shape (ValidationCache). */
export function checkCycles(g: Graph, components = cyclicComponents(g)): Finding[] {
  const out: Finding[] = [];
  for (const comp of components) {
    const allowed = new Set(comp);
    const inside = g.edges.filter((e) => allowed.has(e.from) && allowed.has(e.to));
    const cycles = inside.map((e) => {
      if (e.from === e.to) return [e.from];
      const back = shortestPath(g, e.to, e.from, allowed) ?? [e.to, e.from];
      return canonical([e.from, ...back.slice(0, -1)]);
    });
    // One edge per hop (the first: a `needs` edge before a data edge, as the graph orders them).
    const hop = new Map<string, Edge>();
    for (const e of inside) if (!hop.has(`${e.from}>${e.to}`)) hop.set(`${e.from}>${e.to}`, e);
    inside.forEach((e, i) => {
      const cycle = cycles[i] as number[];
      const spelled = [...cycle, cycle[0] as number].map((n) => g.nodes[n]?.name).join(' → ');
      // Every other hop of the cycle this edge is reported with, in cycle order from this edge.
      const at = cycle.indexOf(e.from);
      const related: { message: string; range: Span }[] = [];
      for (let k = 1; k < cycle.length; k++) {
        const from = cycle[(at + k) % cycle.length] as number;
        const to = cycle[(at + k + 1) % cycle.length] as number;
        const o = hop.get(`${from}>${to}`);
        if (o && o !== e) related.push({ message: describe(g, o), range: o.range });
      }
      out.push({
        code: 'cycle',
        severity: 'error',
        message: `cycle: ${spelled}`,
        range: e.range,
        ...(related.length > 0 ? { related } : {}),
        data: {
          kind: 'cycle-edge',
          from: g.nodes[e.from]?.name ?? '',
          to: g.nodes[e.to]?.name ?? '',
          via: e.kind,
        },
      });
    });
  }
  return out;
}

/** Rotates a cycle (without its repeated end) to start at its first task in document order. */
function canonical(cycle: number[]): number[] {
  let at = 0;
  cycle.forEach((n, i) => {
    if (n < (cycle[at] as number)) at = i;
  });
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}

/** `a → b ('b' needs 'a')`, or for a data edge `a → b ('b' reads 'x.csv')`. */
function describe(g: Graph, e: Edge): string {
  const from = g.nodes[e.from]?.name ?? '';
  const to = g.nodes[e.to]?.name ?? '';
  return `${from} → ${to} (${e.kind === 'needs' ? `'${to}' needs '${from}'` : `'${to}' reads '${e.via ?? ''}'`})`;
}
