/** What a run would do, Luigi-style: incomplete tasks among the selection and its upstream, and everything below them. */
import { downstreamOf, upstreamOf } from '../graph/algorithms';
import type { Graph } from '../graph/graph';

export interface PlanOptions {
  /** Selected task indexes; empty means every task. */
  targets: number[];
  force: boolean;
  downstream: boolean;
}

/** A task's own completeness, ignoring its upstream. */
export interface OwnCheck {
  complete: boolean;
  reason: string;
}

export interface PlanStep {
  task: string;
  index: number;
  action: 'run' | 'skip';
  reason: string;
}

export interface Plan {
  /** Every considered task in topological order. */
  steps: PlanStep[];
  willRun: Set<number>;
}

export function planRun(
  g: Graph,
  order: number[],
  opts: PlanOptions,
  check: (task: number) => OwnCheck,
): Plan {
  const selected = new Set(opts.targets.length > 0 ? opts.targets : order);
  if (opts.downstream) for (const d of downstreamOf(g, selected)) selected.add(d);
  const considered = new Set(selected);
  for (const u of upstreamOf(g, selected)) considered.add(u);
  const forced = opts.force
    ? new Set(opts.targets.length > 0 ? opts.targets : order)
    : new Set<number>();
  const willRun = new Set<number>();
  const steps: PlanStep[] = [];
  for (const i of order) {
    if (!considered.has(i)) continue;
    const name = g.nodes[i]?.name ?? '';
    const upstreamRunning = (g.incoming[i] ?? [])
      .map((id) => g.edges[id]?.from as number)
      .find((u) => willRun.has(u));
    let reason: string;
    if (forced.has(i)) reason = 'forced (--force)';
    else if (upstreamRunning !== undefined)
      reason = `upstream ${g.nodes[upstreamRunning]?.name} will run`;
    else {
      const own = check(i);
      if (own.complete) {
        steps.push({ task: name, index: i, action: 'skip', reason: own.reason });
        continue;
      }
      reason = own.reason;
    }
    willRun.add(i);
    steps.push({ task: name, index: i, action: 'run', reason });
  }
  return { steps, willRun };
}
