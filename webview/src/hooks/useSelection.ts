/** The selected task: selecting (told to the host), jumping to a node, keys, pane clicks and search. */
import { useReactFlow } from '@xyflow/react';
import { type Dispatch, useCallback, useRef } from 'react';
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { NODE_SIZE } from '../layout/layout';
import { nodeAt } from '../overview/geometry';
import type { Action } from '../store';
import { post } from '../vscodeApi';

export interface SelectionControls {
  select(id: string | null): void;
  /** Selects (unless `announce` is false) and centres the node at a readable zoom. */
  jump(id: string, announce?: boolean): void;
  /** A stable function that always calls the latest `jump` (for message listeners). */
  jumpLater(id: string): void;
  search(q: string): void;
  /** Arrow keys move the selection to the nearest node that way. */
  move(id: string, key: string): boolean;
  /** The canvas's keys: Enter opens the YAML, Delete asks to delete, arrows move. */
  onKeyDown(e: React.KeyboardEvent, selected: string | null, askDelete: (t: string) => void): void;
  /** A click on the empty pane: in the overview a box opens its task, else the selection clears. */
  onPaneClick(e: React.MouseEvent, overview: boolean): void;
}

export function useSelection(
  dispatch: Dispatch<Action>,
  graph: GraphModel | null,
  positions: Positions | null,
): SelectionControls {
  const flow = useReactFlow();
  const select = useCallback(
    (id: string | null) => {
      dispatch({ type: 'local/select', task: id });
      post({ type: 'selection/changed', task: id });
    },
    [dispatch],
  );

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
  const latest = useRef(jump);
  latest.current = jump;
  const jumpLater = useCallback(
    (id: string) => requestAnimationFrame(() => latest.current(id, false)),
    [],
  );

  const search = useCallback(
    (q: string) => {
      const hit =
        graph?.nodes.find((n) => n.id === q) ??
        graph?.nodes.find((n) => n.id.toLowerCase().includes(q.toLowerCase()));
      if (hit) jump(hit.id);
    },
    [graph, jump],
  );

  const move = useCallback(
    (id: string, key: string) => {
      const here = positions?.[id];
      if (!positions || !here) return false;
      const dx = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
      const dy = key === 'ArrowDown' ? 1 : key === 'ArrowUp' ? -1 : 0;
      let best: [string, number] | null = null;
      for (const [other, p] of Object.entries(positions)) {
        const vx = p.x - here.x;
        const vy = p.y - here.y;
        const along = vx * dx + vy * dy;
        if (other === id || along <= 0) continue;
        const score = along + 2 * Math.abs(vx * dy + vy * dx);
        if (!best || score < best[1]) best = [other, score];
      }
      if (best) {
        const next = best[0];
        jump(next);
        // The keyboard's focus follows the selection at once (Enter then acts on the task now
        // selected); a node not drawn yet (a large graph draws what is in view) gets it next frame.
        const node = () =>
          document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(next)}"]`);
        const now = node();
        if (now) now.focus({ preventScroll: true });
        else requestAnimationFrame(() => node()?.focus({ preventScroll: true }));
      }
      return true;
    },
    [positions, jump],
  );

  const onKeyDown = useCallback(
    (e: React.KeyboardEvent, selected: string | null, askDelete: (t: string) => void) => {
      const target = e.target as HTMLElement;
      if (target.closest('.panel, .toolbar')) return;
      // Keyboard only: Tab reaches a node, Enter or Space selects it (its panel opens), as a click.
      const id = target.closest<HTMLElement>('.react-flow__node')?.dataset.id;
      if (
        id &&
        id !== selected &&
        !id.startsWith('source:') &&
        !target.closest('button') &&
        (e.key === 'Enter' || e.key === ' ')
      ) {
        e.preventDefault();
        select(id);
        return;
      }
      if (!selected || !positions) return;
      if (e.key === 'Enter') post({ type: 'task/reveal', task: selected });
      else if (e.key === 'Delete' || e.key === 'Backspace') askDelete(selected);
      else if (e.key.startsWith('Arrow') && move(selected, e.key)) e.preventDefault();
    },
    [positions, move, select],
  );

  const onPaneClick = useCallback(
    (e: React.MouseEvent, overview: boolean) => {
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const hit = overview && graph && positions ? nodeAt(graph, positions, at.x, at.y) : null;
      if (hit) jump(hit);
      else select(null);
    },
    [flow, graph, positions, jump, select],
  );

  return { select, jump, jumpLater, search, move, onKeyDown, onPaneClick };
}
