/** Refuses a new `needs` entry that would close a cycle (an edge drawn in the graph or typed in its panel). */
import { downstreamOf, shortestPath } from '../graph/algorithms';
import { buildGraph } from '../graph/graph';
import type { Pipeline } from '../model';

/**
 * Why `task` may not need any of `needs`, or undefined. A cycle forms when a new upstream task
 * already depends on `task` (through `needs` or data edges); it is spelled as the `cycle`
 * diagnostic spells it, in data-flow order (`b → a → b`).
 */
export function cycleRefusal(
  p: Pipeline,
  task: string,
  needs: readonly string[],
): string | undefined {
  if (needs.length === 0) return undefined;
  const g = buildGraph(p);
  const from = g.index.get(task);
  if (from === undefined) return undefined;
  const below = downstreamOf(g, [from]);
  for (const n of needs) {
    const to = g.index.get(n);
    if (to === undefined || !below.has(to)) continue;
    const path = shortestPath(g, from, to, below) ?? [from, to];
    // The new edge n → task, then the existing path back to n.
    const spelled = [to, ...path].map((i) => g.nodes[i]?.name).join(' → ');
    return `'${task}' cannot need '${n}': that would make a cycle (${spelled})`;
  }
  return undefined;
}
