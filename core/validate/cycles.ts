/** `cycle`: reported on every edge of every cycle, spelled `a → b → a` in data-flow order. */
import { cyclicComponents, shortestPath } from '../graph/algorithms';
import type { Graph } from '../graph/graph';
import type { Finding } from '../model';

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
    inside.forEach((e, i) => {
      const cycle = cycles[i] as number[];
      const spelled = [...cycle, cycle[0] as number].map((n) => g.nodes[n]?.name).join(' → ');
      const related = inside
        .filter((o, j) => o !== e && sameCycle(cycles[j] as number[], cycle))
        .map((o) => ({
          message: `${g.nodes[o.from]?.name} → ${g.nodes[o.to]?.name}`,
          range: o.range,
        }));
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

function sameCycle(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
