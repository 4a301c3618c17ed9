/** Run status onto the canvas: React Flow nodes and edges coloured by the run, plan or last state. */
import {
  applyNodeChanges,
  type Edge,
  type NodeChange,
  type OnNodesChange,
  Position,
  useUpdateNodeInternals,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Positions } from '../../../core/graph/layered';
import { type State, statusOf } from '../store';
import { type DataCache, type FlowNode, neighbourhood, toFlow } from '../toFlow';
import type { Direction } from './useLayout';

export interface RunStatusView {
  nodes: FlowNode[];
  edges: Edge[];
  onNodesChange: OnNodesChange<FlowNode>;
  /** A task's status for the canvas overview and minimap. */
  canvasStatus(id: string): string;
}

export function useRunStatus(
  state: State,
  positions: Positions | null,
  direction: Direction,
  o: {
    focus: boolean;
    simple: boolean;
    overview: boolean;
    hovered: string | null;
    /** The tasks a status filter shows (null: no filter). */
    filtered: Set<string> | null;
  },
): RunStatusView {
  const graph = state.graph;
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  // A task that comes (back) with a text edit or an undo: React Flow is asked to measure its
  // handles once it is drawn; it sometimes kept none, and drew none of the task's edges.
  const shownIds = useRef(new Set<string>());
  const [arrived, setArrived] = useState<string[]>([]);
  const updateNodeInternals = useUpdateNodeInternals();
  const dataCache = useRef<DataCache>(new Map());
  const edgeCache = useRef(new Map<string, Edge>());
  // Focus mode keeps the selection's lineage lit; else the hovered node's, while hovered.
  const lit = o.focus && state.selected ? state.selected : o.hovered;
  // The lineage while one is lit, else the filter's tasks: the rest is dimmed.
  const visible = useMemo(
    () => (graph && lit ? neighbourhood(graph, lit) : o.filtered),
    [graph, lit, o.filtered],
  );
  const drawn = useMemo(
    () =>
      graph && positions && !o.overview
        ? toFlow(graph, positions, state, visible, o.simple, dataCache.current, edgeCache.current)
        : null,
    // The run reducer updates in place: runTick is what changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [graph, positions, state.runTick, state.plan, state.selected, visible, o.simple, o.overview],
  );

  useEffect(() => {
    if (!drawn) return;
    const sides =
      direction === 'RIGHT'
        ? { targetPosition: Position.Left, sourcePosition: Position.Right }
        : { targetPosition: Position.Top, sourcePosition: Position.Bottom };
    const shown = shownIds.current;
    shownIds.current = new Set(drawn.nodes.map((n) => n.id));
    const added = shown.size > 0 ? drawn.nodes.filter((n) => !shown.has(n.id)) : [];
    if (added.length > 0) setArrived(added.map((n) => n.id));
    // Keep React Flow's measurements: a node object without them stays hidden until it resizes.
    setNodes((prev) => {
      const before = new Map(prev.map((n) => [n.id, n]));
      return drawn.nodes.map((n) => {
        const old = before.get(n.id);
        // Same data, same place: keep the very object, so React Flow skips it.
        if (
          old &&
          old.data === n.data &&
          old.position.x === n.position.x &&
          old.position.y === n.position.y &&
          old.targetPosition === sides.targetPosition
        )
          return old;
        return { ...n, ...sides, ...(old?.measured ? { measured: old.measured } : {}) };
      });
    });
  }, [drawn, direction]);

  useEffect(() => {
    if (arrived.length === 0) return;
    // After React Flow drew them (its store renders the nodes a frame after ours changed); not
    // cancelled by the next arrival, which measures only its own.
    requestAnimationFrame(() => requestAnimationFrame(() => updateNodeInternals(arrived)));
  }, [arrived, updateNodeInternals]);

  const onNodesChange: OnNodesChange<FlowNode> = useCallback((changes: NodeChange<FlowNode>[]) => {
    // Deletion goes through a confirmation and the host; only moves and selection apply here.
    setNodes((ns) =>
      applyNodeChanges(
        changes.filter((c) => c.type !== 'remove'),
        ns,
      ),
    );
  }, []);
  const canvasStatus = useCallback((id: string) => statusOf(state, id).status, [state]);
  return { nodes, edges: drawn?.edges ?? [], onNodesChange, canvasStatus };
}
