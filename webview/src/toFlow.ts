/** Pure: graph + positions + run state → React Flow nodes and edges. */
import type { Edge, Node } from '@xyflow/react';
import type { Positions } from '../../core/graph/layered';
import type { GraphModel, GraphNodeModel } from '../../core/protocol/webview';
import { NODE_SIZE, routesOf } from './layout/layout';
import type { EdgeRoute } from './edges/route';
import { type NodeStatus, type State, statusOf } from './store';
import { shownKey } from './partitions/model';
import type { StripData } from './partitions/PartitionStrip';

export type TaskNodeData = {
  model: GraphNodeModel;
  status: NodeStatus;
  selected: boolean;
  dimmed: boolean;
  simple: boolean;
  /** A partitioned task's strip. */
  strip?: StripData;
};
export type FlowNode = Node<TaskNodeData>;

/** Node data of the last render by id: reused when nothing of a node changed, so only changed nodes re-render. */
export type DataCache = Map<string, { key: string; model: GraphNodeModel; data: TaskNodeData }>;

export function toFlow(
  g: GraphModel,
  positions: Positions,
  s: State,
  visible: Set<string> | null,
  simple: boolean,
  cache: DataCache = new Map(),
  edgeCache: Map<string, Edge> = new Map(),
): { nodes: FlowNode[]; edges: Edge[] } {
  const nodes: FlowNode[] = g.nodes.map((n) => {
    const status: NodeStatus = n.kind === 'task' ? statusOf(s, n.id) : { status: 'complete' };
    const selected = s.selected === n.id;
    const dimmed = visible !== null && !visible.has(n.id);
    const view = s.partitions;
    const partitioned = view?.codes.has(n.id) ?? false;
    const shown = view ? (view.index.get(shownKey(view) ?? '') ?? 0) : 0;
    const version = partitioned ? view?.version.get(n.id) : undefined;
    const key = `${status.status}|${status.words ?? ''}|${status.failedPartitions ?? ''}|${status.reason ?? ''}|${status.durationMs ?? ''}|${status.attempt ?? ''}|${selected}|${dimmed}|${simple}|${version ?? ''}|${shown}`;
    const hit = cache.get(n.id);
    // The codes are read when the strip is drawn (decoded then: most strips are never on screen).
    const strip: StripData | undefined =
      partitioned && view
        ? {
            keys: view.keys,
            get codes() {
              return view.codes.get(n.id) ?? new Uint8Array(0);
            },
            version: version ?? 0,
            shown,
          }
        : undefined;
    const data =
      hit && hit.key === key && hit.model === n
        ? hit.data
        : { model: n, status, selected, dimmed, simple, ...(strip ? { strip } : {}) };
    cache.set(n.id, { key, model: n, data });
    return {
      id: n.id,
      type: n.kind === 'source' ? 'source' : 'task',
      position: positions[n.id] ?? { x: 0, y: 0 },
      // Known sizes let React Flow cull off-screen nodes without measuring thousands first.
      width: NODE_SIZE[n.kind].width,
      height: NODE_SIZE[n.kind].height,
      data,
      selected,
      ...(dimmed ? { className: 'dimmed' } : {}),
    };
  });
  // elkjs's routes go around the tasks in between (none with the fast layout: React Flow's default).
  const routes = routesOf(positions);
  const edges: Edge[] = g.edges.map((e) => {
    const className = `edge-${e.kind}${e.cycle ? ' edge-cycle' : ''}${visible !== null && !(visible.has(e.source) && visible.has(e.target)) ? ' dimmed' : ''}`;
    const label = e.kind === 'data' && e.label && !simple ? e.label.split('/').pop() : undefined;
    const animated = statusOf(s, e.target).status === 'running';
    // A cycle's edge runs against the layers (elkjs reverses it): drawn as before.
    const points = e.cycle ? undefined : routes?.[e.id];
    const from = positions[e.source];
    const to = positions[e.target];
    const route: EdgeRoute | undefined = points && from && to ? { points, from, to } : undefined;
    // The very object of the last render when nothing of it changed: React Flow skips it.
    const old = edgeCache.get(e.id);
    if (
      old &&
      old.source === e.source &&
      old.target === e.target &&
      old.className === className &&
      old.label === label &&
      old.animated === animated &&
      (old.data as { route?: EdgeRoute }).route?.points === route?.points
    )
      return old;
    const edge: Edge = {
      id: e.id,
      source: e.source,
      target: e.target,
      className,
      ...(label ? { label } : {}),
      animated,
      deletable: e.kind === 'needs',
      ...(route ? { type: 'routed' } : {}),
      data: { kind: e.kind, ...(route ? { route } : {}) },
    };
    edgeCache.set(e.id, edge);
    return edge;
  });
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
