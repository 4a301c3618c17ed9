/** The graph editor: composes the hooks (host, layout, viewport, run status, selection, edits, history) into the canvas and panels. */
import { Background, Controls, MiniMap, Panel, ReactFlow, useStore } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HostToWebview } from '../../core/protocol/webview';
import { HistoryPanel } from './history/HistoryPanel';
import { PlanBanner } from './ui/PlanBanner';
import { SyntaxBanner } from './ui/SyntaxBanner';
import { RunOutcome } from './ui/RunOutcome';
import { useEditing } from './hooks/useEditing';
import { useHistory } from './hooks/useHistory';
import { useHost } from './hooks/useHost';
import { useDirection } from './hooks/useDirection';
import { useLayout } from './hooks/useLayout';
import { useLogs } from './hooks/useLogs';
import { useRunStatus } from './hooks/useRunStatus';
import { useSelection } from './hooks/useSelection';
import { useStatusFilter } from './hooks/useStatusFilter';
import { useViewport } from './hooks/useViewport';
import { SourceNode, TaskNode } from './nodes/TaskNode';
import { edgeTypes } from './edges/RoutedEdge';
import { CanvasMiniMap } from './overview/CanvasMiniMap';
import { OVERVIEW_MIN_NODES, OVERVIEW_ZOOM } from './overview/geometry';
import { OverviewCanvas } from './overview/OverviewCanvas';
import { statusOf } from './store';
import type { FlowNode } from './toFlow';
import { PropertiesPanel } from './ui/PropertiesPanel';
import { Toolbar } from './ui/Toolbar';
import { loadViewState, post } from './vscodeApi';
import { PartitionPicker } from './partitions/PartitionPicker';
import { usePartitionPick } from './partitions/usePartitionPick';

const nodeTypes = { task: TaskNode, source: SourceNode };
/** Below this many nodes the whole graph is on screen at a readable zoom: no minimap. */
const MINIMAP_MIN_NODES = 25;

export function App() {
  const view = useMemo(loadViewState, []);
  const history = useHistory();
  const logs = useLogs();
  const onMessage = useCallback(
    (m: HostToWebview) => {
      history.onMessage(m);
      logs.onMessage(m);
      // The cursor moved into a task in the text: bring its node into view.
      if (m.type === 'selection/set' && m.task) selection.jumpLater(m.task);
    },
    // `selection` is declared below; jumpLater is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [history.onMessage, logs.onMessage],
  );
  const [state, dispatch] = useHost(view.selected, onMessage);
  const graph = state.graph;
  const [direction, setDirection] = useDirection(view.direction, state.direction, !!graph);
  const [focus, setFocus] = useState(false);
  const simple = useStore((s) => s.transform[2] < OVERVIEW_ZOOM);

  const layout = useLayout(graph, direction);
  const { positions } = layout;
  const viewport = useViewport(graph, positions, layout.tidied, view, direction, state.selected);
  // Large and zoomed out (or not yet fitted): one canvas instead of thousands of DOM nodes.
  const large = (graph?.nodes.length ?? 0) > OVERVIEW_MIN_NODES;
  const overview = large && (simple || !viewport.firstFit);
  // Lineage on hover (upstream and downstream lit, the rest dimmed), for graphs drawn as DOM nodes.
  const [hovered, setHovered] = useState<string | null>(null);
  // Only tasks in the chosen states lit, the rest dimmed (a hovered lineage wins while hovered).
  const filter = useStatusFilter(state);
  const status = useRunStatus(state, positions, direction ?? 'RIGHT', {
    focus,
    simple,
    overview,
    hovered: large ? null : hovered,
    filtered: filter.shown,
  });
  const selection = useSelection(dispatch, graph, positions);
  const editing = useEditing(state, dispatch);
  const pick = usePartitionPick(dispatch);

  // A task added from the graph is selected and brought into view once the new graph has it:
  // in a large graph it may be placed off-screen, and its panel is where it gets a name.
  const [added, setAdded] = useState<string | null>(null);
  const addTask = () => setAdded(editing.addTask());
  useEffect(() => {
    if (added && graph?.nodes.some((n) => n.id === added) && positions?.[added]) {
      selection.jump(added);
      setAdded(null);
    }
  }, [added, graph, positions, selection]);

  const selectedNode = graph?.nodes.find((n) => n.id === state.selected && n.kind === 'task');
  // The picked edge drawn as selected (React Flow's own edge selection is not kept: edges are derived).
  const picked = editing.selectedEdge;
  const edges = useMemo(
    () =>
      picked
        ? status.edges.map((e) => (e.id === picked ? { ...e, selected: true } : e))
        : status.edges,
    [status.edges, picked],
  );
  const problems =
    (graph?.nodes.reduce((n, x) => n + x.diagnostics.length, 0) ?? 0) + (graph?.other.length ?? 0);

  return (
    <div
      className="app"
      data-layout={layout.final ? 'final' : 'quick'}
      onKeyDown={(e) => {
        const key = e.key === 'Delete' || e.key === 'Backspace';
        if (
          key &&
          !(e.target as HTMLElement).closest('.panel, .toolbar') &&
          editing.removeSelectedEdge()
        )
          return;
        selection.onKeyDown(e, state.selected, editing.askDelete);
      }}
    >
      <Toolbar
        trusted={state.trusted}
        running={state.starting || state.run?.status === 'running'}
        direction={direction ?? 'RIGHT'}
        focus={focus}
        problems={problems}
        onRunAll={() => post({ type: 'run/all' })}
        {...(graph?.params?.length
          ? { onRunWithParams: () => post({ type: 'run/withParams' }) }
          : {})}
        onStop={() => post({ type: 'run/stop' })}
        onPlan={() => post({ type: 'run/plan' })}
        onAddTask={addTask}
        onDirection={setDirection}
        onFocus={() => setFocus((f) => !f)}
        history={history.open}
        onHistory={history.toggle}
        onFit={viewport.refit}
        statusFilter={filter}
        onSearch={selection.search}
      >
        {state.partitions && <PartitionPicker view={state.partitions} onPick={pick} />}
      </Toolbar>
      {state.notice && (
        <div className="notice" role="alert">
          {state.notice} <button onClick={() => dispatch({ type: 'local/dismiss' })}>×</button>
        </div>
      )}
      {editing.confirmDelete && (
        <div className="confirm" role="dialog" aria-label="Confirm delete">
          Delete task <b>{editing.confirmDelete}</b> and its dependencies?{' '}
          <button
            id="confirm-delete"
            onClick={() => {
              editing.intent({ kind: 'removeTask', name: editing.confirmDelete! });
              editing.askDelete(null);
            }}
          >
            Delete
          </button>{' '}
          <button onClick={() => editing.askDelete(null)}>Cancel</button>
        </div>
      )}
      <div className="main">
        <div className="canvas">
          {!graph && <div className="empty">Loading the pipeline…</div>}
          {state.shownRun && (
            <div className="plan-banner shown-run" role="status">
              <span className="codicon codicon-history" /> Showing the run of{' '}
              {new Date(state.shownRun.started).toLocaleString()} ({state.shownRun.status})
              <button
                id="history-now"
                className="icon-button"
                onClick={() => dispatch({ type: 'local/showRun', run: null })}
              >
                <span className="codicon codicon-close" /> Back to now
              </button>
            </div>
          )}
          <SyntaxBanner syntax={graph?.syntax} />
          {!state.shownRun && !state.plan && !state.planError && !graph?.syntax && (
            <RunOutcome
              run={state.run}
              onShow={(t) => {
                // As a click on the failed node: selected, in view, its log asked for.
                selection.jump(t);
                logs.show(t);
              }}
            />
          )}
          {/* Over the canvas, not above it: a plan must not resize the pane (and refit the view). */}
          <PlanBanner
            plan={state.plan}
            error={state.planError}
            onClear={() => dispatch({ type: 'local/clearPlan' })}
          />
          <ReactFlow
            nodes={overview ? [] : status.nodes}
            edges={overview ? [] : edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={status.onNodesChange}
            onConnect={editing.onConnect}
            onConnectEnd={editing.onConnectEnd}
            onNodeMouseEnter={(_, n) => setHovered(n.id)}
            onNodeMouseLeave={() => setHovered(null)}
            onEdgesDelete={editing.onEdgesDelete}
            onEdgeClick={(_, e) => {
              // An edge picked for Delete: the node's panel closes, so Delete means the edge.
              selection.select(null);
              editing.selectEdge(e);
            }}
            onNodeClick={(_, n) => {
              editing.selectEdge(null);
              selection.select(n.id);
              if (statusOf(state, n.id).status === 'failed') logs.show(n.id);
            }}
            onNodeDoubleClick={(_, n) => post({ type: 'task/reveal', task: n.id })}
            onPaneClick={(e) => {
              editing.selectEdge(null);
              selection.onPaneClick(e, overview);
            }}
            onMoveStart={viewport.onMoveStart}
            onMoveEnd={viewport.onMoveEnd}
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
            {overview && viewport.firstFit && graph && positions && (
              <OverviewCanvas
                graph={graph}
                positions={positions}
                direction={direction ?? 'RIGHT'}
                status={status.canvasStatus}
                tick={state.runTick}
                selected={state.selected}
                partitions={state.partitions}
                lit={filter.shown}
              />
            )}
            {large && graph && positions ? (
              <Panel position="bottom-right">
                <CanvasMiniMap
                  graph={graph}
                  positions={positions}
                  status={status.canvasStatus}
                  tick={state.runTick}
                />
              </Panel>
            ) : (
              (graph?.nodes.length ?? 0) >= MINIMAP_MIN_NODES && (
                <MiniMap
                  pannable
                  zoomable
                  nodeClassName={(n) => `minimap-${(n.data as FlowNode['data']).status.status}`}
                />
              )
            )}
          </ReactFlow>
        </div>
        {history.open && (
          <HistoryPanel
            runs={state.history}
            onClose={() => {
              history.close();
              dispatch({ type: 'local/showRun', run: null });
            }}
            onTask={(t) => selection.jump(t)}
            onRun={(run) => dispatch({ type: 'local/showRun', run })}
          />
        )}
        {selectedNode && (
          <PropertiesPanel
            node={selectedNode}
            status={statusOf(state, selectedNode.id)}
            log={state.logs[selectedNode.id]}
            onField={(field, value) =>
              editing.intent({ kind: 'setTaskField', task: selectedNode.id, field, value })
            }
            onRename={(to) =>
              to &&
              to !== selectedNode.id &&
              editing.intent({ kind: 'renameTask', from: selectedNode.id, to })
            }
            onReveal={() => post({ type: 'task/reveal', task: selectedNode.id })}
            onShowLog={() => logs.show(selectedNode.id)}
            onDelete={() => editing.askDelete(selectedNode.id)}
          />
        )}
      </div>
    </div>
  );
}
