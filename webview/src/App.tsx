/** The graph editor: canvas, toolbar, properties panel; every edit is an intent to the host. */
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  MiniMap,
  type NodeChange,
  type OnNodesChange,
  Panel,
  Position,
  ReactFlow,
  applyNodeChanges,
  getViewportForBounds,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { GraphIntent } from '../../core/edit/intents';
import type { Positions } from '../../core/graph/layered';
import type { HostToWebview } from '../../core/protocol/webview';
import { immediateLayout, layout, NODE_SIZE } from './layout/layout';
import { SourceNode, TaskNode } from './nodes/TaskNode';
import { initialState, reduce, statusOf } from './store';
import { type DataCache, type FlowNode, neighbourhood, toFlow } from './toFlow';
import { HistoryPanel } from './history/HistoryPanel';
import { CanvasMiniMap } from './overview/CanvasMiniMap';
import { boundsOf, nodeAt, OVERVIEW_MIN_NODES, OVERVIEW_ZOOM } from './overview/geometry';
import { OverviewCanvas } from './overview/OverviewCanvas';
import { PropertiesPanel } from './ui/PropertiesPanel';
import { Toolbar } from './ui/Toolbar';
import { loadViewState, post, saveViewState } from './vscodeApi';

const nodeTypes = { task: TaskNode, source: SourceNode };
const NO_NODES: FlowNode[] = [];
const NO_EDGES: Edge[] = [];
const xy = (p: { x: number; y: number }): [number, number] => [p.x, p.y];
const LEGEND = [
  'pending',
  'queued',
  'running',
  'success',
  'failed',
  'complete',
  'upstream_failed',
  'cancelled',
  'timed_out',
  'will_run',
];

export function App() {
  const view = useMemo(loadViewState, []);
  const [state, dispatch] = useReducer(reduce, view.selected, initialState);
  const [direction, setDirection] = useState(view.direction);
  const [positions, setPositions] = useState<Positions | null>(null);
  const [focus, setFocus] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  const flow = useReactFlow();
  const simple = useStore((s) => s.transform[2] < OVERVIEW_ZOOM);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const [firstFit, setFirstFit] = useState(false);
  /** False while the quick layout shows and the tidier one is computed (tests wait on it). */
  const [layoutFinal, setLayoutFinal] = useState(false);
  const historyOpen = useRef(false);
  historyOpen.current = showHistory;
  const dataCache = useRef<DataCache>(new Map());
  const edgeCache = useRef(new Map<string, Edge>());
  /** Until the user moves the view, the first elkjs layout is fitted too. */
  const refitOnLayout = useRef(!view.viewport);
  const refitPending = useRef(false);

  useEffect(() => {
    const onMessage = (e: MessageEvent<HostToWebview>) => {
      if (!e.data || typeof e.data !== 'object' || !('type' in e.data)) return;
      dispatch(e.data);
      // A finished run changes the history: ask again while the panel is open.
      if (
        e.data.type === 'run/event' &&
        e.data.event.event === 'run_finished' &&
        historyOpen.current
      )
        post({ type: 'history/request' });
      // The cursor moved into a task in the text: bring its node into view.
      if (e.data.type === 'selection/set' && e.data.task) {
        const task = e.data.task;
        requestAnimationFrame(() => jumpRef.current(task, false));
      }
    };
    window.addEventListener('message', onMessage);
    post({ type: 'ready' });
    return () => window.removeEventListener('message', onMessage);
  }, []);

  const graph = state.graph;
  useEffect(() => {
    if (!graph) return;
    let live = true;
    // Paint at once (cached layout, or the fast layered one), then the tidier elkjs layout.
    const first = immediateLayout(graph, direction);
    setPositions(first.positions);
    setLayoutFinal(first.final);
    if (!first.final) {
      void layout(graph, direction).then((p) => {
        if (!live) return;
        refitPending.current = refitOnLayout.current;
        setPositions(p);
        setLayoutFinal(true);
      });
    }
    return () => {
      live = false;
    };
    // Only a change of structure (names, edges) or direction may move the picture.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graph?.structureKey, direction]);

  // Large and zoomed out (or not yet fitted): one canvas instead of thousands of DOM nodes.
  const large = (graph?.nodes.length ?? 0) > OVERVIEW_MIN_NODES;
  const overview = large && (simple || !firstFit);
  const fitAll = useCallback(
    (duration = 0) => {
      if (!graph || !positions || paneWidth === 0) return;
      const v = getViewportForBounds(
        boundsOf(graph, positions),
        paneWidth,
        paneHeight,
        0.02,
        1,
        0.1,
      );
      void flow.setViewport(v, { duration });
    },
    [graph, positions, paneWidth, paneHeight, flow],
  );
  const canvasStatus = useCallback((id: string) => statusOf(state, id).status, [state]);

  const visible = useMemo(
    () => (focus && graph && state.selected ? neighbourhood(graph, state.selected) : null),
    [focus, graph, state.selected],
  );
  const drawn = useMemo(
    () =>
      graph && positions && !overview
        ? toFlow(graph, positions, state, visible, simple, dataCache.current, edgeCache.current)
        : null,
    // The run reducer updates in place: runTick is what changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [graph, positions, state.runTick, state.plan, state.selected, visible, simple, overview],
  );

  useEffect(() => {
    if (!drawn) return;
    const sides =
      direction === 'RIGHT'
        ? { targetPosition: Position.Left, sourcePosition: Position.Right }
        : { targetPosition: Position.Top, sourcePosition: Position.Bottom };
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

  // The first picture: the saved view, else the whole graph (from the layout, not the DOM).
  useEffect(() => {
    if (firstFit || !positions || paneWidth === 0) return;
    if (view.viewport) void flow.setViewport(view.viewport);
    else fitAll();
    setFirstFit(true);
  }, [firstFit, positions, paneWidth, fitAll, flow, view.viewport]);
  // The tidier layout arrived and the user has not moved the view: fit it again.
  useEffect(() => {
    if (!refitPending.current) return;
    refitPending.current = false;
    fitAll();
  }, [positions, fitAll]);

  useEffect(
    () => saveViewState({ direction, selected: state.selected, viewport: flow.getViewport() }),
    [direction, state.selected, flow],
  );

  const onNodesChange: OnNodesChange<FlowNode> = useCallback((changes: NodeChange<FlowNode>[]) => {
    // Deletion goes through a confirmation and the host; only moves and selection apply here.
    setNodes((ns) =>
      applyNodeChanges(
        changes.filter((c) => c.type !== 'remove'),
        ns,
      ),
    );
  }, []);

  const select = useCallback((id: string | null) => {
    dispatch({ type: 'local/select', task: id });
    post({ type: 'selection/changed', task: id });
  }, []);

  const jump = useCallback(
    (id: string, announce = true) => {
      if (announce) select(id);
      const p = positions?.[id];
      if (p)
        void flow.setCenter(p.x + NODE_SIZE.task.width / 2, p.y + NODE_SIZE.task.height / 2, {
          zoom: Math.max(flow.getZoom(), 0.8),
          duration: 200,
        });
    },
    [positions, flow, select],
  );

  const jumpRef = useRef(jump);
  jumpRef.current = jump;

  const intent = useCallback(
    (i: GraphIntent) => post({ type: 'intent', intent: i, version: state.version }),
    [state.version],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source && c.target && !c.source.startsWith('source:'))
        intent({ kind: 'addDependency', task: c.target, needs: c.source });
    },
    [intent],
  );

  const onEdgesDelete = useCallback(
    (edges: Edge[]) => {
      for (const e of edges)
        if ((e.data as { kind?: string } | undefined)?.kind === 'needs')
          intent({ kind: 'removeDependency', task: e.target, needs: e.source });
    },
    [intent],
  );

  const addTask = useCallback(() => {
    const names = new Set(graph?.nodes.map((n) => n.id));
    let i = 1;
    while (names.has(`task_${i}`)) i++;
    intent({
      kind: 'addTask',
      name: `task_${i}`,
      run: 'echo "TODO"',
      ...(state.selected && names.has(state.selected) && !state.selected.startsWith('source:')
        ? { needs: [state.selected] }
        : {}),
    });
  }, [graph, intent, state.selected]);

  const onKeyDown = useCallback(
    (e: React.KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('.panel, .toolbar')) return;
      const id = state.selected;
      if (!id || !positions) return;
      if (e.key === 'Enter') post({ type: 'task/reveal', task: id });
      else if (e.key === 'Delete' || e.key === 'Backspace') setConfirmDelete(id);
      else if (e.key.startsWith('Arrow')) {
        const here = positions[id];
        if (!here) return;
        const dx = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        const dy = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
        let best: [string, number] | null = null;
        for (const [other, p] of Object.entries(positions)) {
          const vx = p.x - here.x;
          const vy = p.y - here.y;
          const along = vx * dx + vy * dy;
          if (other === id || along <= 0) continue;
          const score = along + 2 * Math.abs(vx * dy + vy * dx);
          if (!best || score < best[1]) best = [other, score];
        }
        if (best) jump(best[0]);
        e.preventDefault();
      }
    },
    [state.selected, positions, jump],
  );

  const selectedNode = graph?.nodes.find((n) => n.id === state.selected && n.kind === 'task');
  const problems =
    (graph?.nodes.reduce((n, x) => n + x.diagnostics.length, 0) ?? 0) + (graph?.other.length ?? 0);

  return (
    <div className="app" data-layout={layoutFinal ? 'final' : 'quick'} onKeyDown={onKeyDown}>
      <Toolbar
        trusted={state.trusted}
        direction={direction}
        focus={focus}
        problems={problems}
        onRunAll={() => post({ type: 'run/all' })}
        onStop={() => post({ type: 'run/stop' })}
        onPlan={() => post({ type: 'run/plan' })}
        onAddTask={addTask}
        onDirection={setDirection}
        onFocus={() => setFocus((f) => !f)}
        history={showHistory}
        onHistory={() => {
          if (!showHistory) post({ type: 'history/request' });
          setShowHistory(!showHistory);
        }}
        onFit={() => fitAll(200)}
        onSearch={(q) => {
          const hit =
            graph?.nodes.find((n) => n.id === q) ??
            graph?.nodes.find((n) => n.id.toLowerCase().includes(q.toLowerCase()));
          if (hit) jump(hit.id);
        }}
      />
      {state.notice && (
        <div className="notice" role="alert">
          {state.notice} <button onClick={() => dispatch({ type: 'local/dismiss' })}>×</button>
        </div>
      )}
      {confirmDelete && (
        <div className="confirm" role="dialog" aria-label="Confirm delete">
          Delete task <b>{confirmDelete}</b> and its dependencies?{' '}
          <button
            id="confirm-delete"
            onClick={() => {
              intent({ kind: 'removeTask', name: confirmDelete });
              setConfirmDelete(null);
            }}
          >
            Delete
          </button>{' '}
          <button onClick={() => setConfirmDelete(null)}>Cancel</button>
        </div>
      )}
      <div className="main">
        <div className="canvas">
          {!graph && <div className="empty">Loading the pipeline…</div>}
          <ReactFlow
            nodes={overview ? NO_NODES : nodes}
            edges={overview ? NO_EDGES : (drawn?.edges ?? [])}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onConnect={onConnect}
            onEdgesDelete={onEdgesDelete}
            onNodeClick={(_, n) => {
              select(n.id);
              if (statusOf(state, n.id).status === 'failed')
                post({ type: 'task/showLog', task: n.id });
            }}
            onNodeDoubleClick={(_, n) => post({ type: 'task/reveal', task: n.id })}
            onPaneClick={(e) => {
              // In the overview, a click on a box opens that task at a readable zoom.
              const hit =
                overview && graph && positions
                  ? nodeAt(
                      graph,
                      positions,
                      ...xy(flow.screenToFlowPosition({ x: e.clientX, y: e.clientY })),
                    )
                  : null;
              if (hit) jump(hit);
              else select(null);
            }}
            onMoveStart={(e) => {
              if (e) refitOnLayout.current = false;
            }}
            onDoubleClick={(e) => {
              if ((e.target as HTMLElement).classList.contains('react-flow__pane')) addTask();
            }}
            zoomOnDoubleClick={false}
            deleteKeyCode={null}
            onlyRenderVisibleElements={(graph?.nodes.length ?? 0) > 300}
            minZoom={0.02}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showFitView={false} />
            {/* Drawn once the view is fitted: the first picture is the whole graph. */}
            {overview && firstFit && graph && positions && (
              <OverviewCanvas
                graph={graph}
                positions={positions}
                direction={direction}
                status={canvasStatus}
                tick={state.runTick}
                selected={state.selected}
              />
            )}
            {large && graph && positions ? (
              <Panel position="bottom-right">
                <CanvasMiniMap
                  graph={graph}
                  positions={positions}
                  status={canvasStatus}
                  tick={state.runTick}
                />
              </Panel>
            ) : (
              <MiniMap
                pannable
                zoomable
                nodeClassName={(n) => `minimap-${(n.data as FlowNode['data']).status.status}`}
              />
            )}
            <Panel position="bottom-left" className="legend">
              {LEGEND.map((s) => (
                <span key={s} className={`legend-item status-${s}`}>
                  <i /> {s.replace('_', ' ')}
                </span>
              ))}
            </Panel>
          </ReactFlow>
        </div>
        {showHistory && (
          <HistoryPanel
            runs={state.history}
            onClose={() => setShowHistory(false)}
            onTask={(t) => jump(t)}
          />
        )}
        {selectedNode && (
          <PropertiesPanel
            node={selectedNode}
            status={statusOf(state, selectedNode.id)}
            log={state.logs[selectedNode.id]}
            onField={(field, value) =>
              intent({ kind: 'setTaskField', task: selectedNode.id, field, value })
            }
            onRename={(to) =>
              to &&
              to !== selectedNode.id &&
              intent({ kind: 'renameTask', from: selectedNode.id, to })
            }
            onReveal={() => post({ type: 'task/reveal', task: selectedNode.id })}
            onShowLog={() => post({ type: 'task/showLog', task: selectedNode.id })}
            onDelete={() => setConfirmDelete(selectedNode.id)}
          />
        )}
      </div>
    </div>
  );
}
