/** Pure: graph + positions + run state → React Flow nodes and edges. */
import type { Edge, Node } from '@xyflow/react';
import type { Positions } from '../../core/graph/layered';
import type { GraphModel, GraphNodeModel } from '../../core/protocol/webview';
import { type NodeStatus, type State, statusOf } from './store';

export type TaskNodeData = {
  model: GraphNodeModel;
  status: NodeStatus;
  selected: boolean;
  dimmed: boolean;
  simple: boolean;
};
export type FlowNode = Node<TaskNodeData>;

export function toFlow(
  g: GraphModel,
  positions: Positions,
  s: State,
  visible: Set<string> | null,
  simple: boolean,
): { nodes: FlowNode[]; edges: Edge[] } {
  const nodes: FlowNode[] = g.nodes.map((n) => ({
    id: n.id,
    type: n.kind === 'source' ? 'source' : 'task',
    position: positions[n.id] ?? { x: 0, y: 0 },
    data: {
      model: n,
      status: n.kind === 'task' ? statusOf(s, n.id) : { status: 'complete' },
      selected: s.selected === n.id,
      dimmed: visible !== null && !visible.has(n.id),
      simple,
    },
    selected: s.selected === n.id,
    ...(visible !== null && !visible.has(n.id) ? { className: 'dimmed' } : {}),
  }));
  const edges: Edge[] = g.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    className: `edge-${e.kind}${e.cycle ? ' edge-cycle' : ''}${visible !== null && !(visible.has(e.source) && visible.has(e.target)) ? ' dimmed' : ''}`,
    ...(e.kind === 'data' && e.label && !simple ? { label: e.label.split('/').pop() } : {}),
    animated: statusOf(s, e.target).status === 'running',
    deletable: e.kind === 'needs',
    data: { kind: e.kind },
  }));
  return { nodes, edges };
}

/** The upstream and downstream of a task, and itself (focus mode). */
export function neighbourhood(g: GraphModel, id: string): Set<string> {
  const out = new Set([id]);
  const walk = (dir: 'up' | 'down'): void => {
    const stack = [id];
    while (stack.length) {
      const cur = stack.pop() as string;
      for (const e of g.edges) {
        const next =
          dir === 'up'
            ? e.target === cur
              ? e.source
              : undefined
            : e.source === cur
              ? e.target
              : undefined;
        if (next !== undefined && !out.has(next)) {
          out.add(next);
          stack.push(next);
        }
      }
    }
  };
  walk('up');
  walk('down');
  return out;
}
