/** The view onto the graph: the first fit, refits while the user has not moved it, the saved viewport. */
import { useReactFlow, useStore } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { fitViewport, READABLE_ZOOM } from '../layout/fit';
import { NODE_SIZE } from '../layout/layout';
import { boundsOf, OVERVIEW_MIN_NODES } from '../overview/geometry';
import { saveViewState, type ViewState } from '../vscodeApi';
import type { Direction } from './useLayout';

export interface ViewportControls {
  /** True once the first picture is set (the overview canvas waits for it). */
  firstFit: boolean;
  /** The whole graph, or (when that would be unreadable) its start at a readable zoom. */
  fitAll(duration?: number): void;
  /** The Fit button: fit, and follow layout and pane changes again. */
  refit(): void;
  /** React Flow's onMoveStart: a move by the user (an event) stops the automatic refits. */
  onMoveStart(e: unknown): void;
  /** React Flow's onMoveEnd: remembers a viewport the user chose. */
  onMoveEnd(e: unknown): void;
}

export function useViewport(
  graph: GraphModel | null,
  positions: Positions | null,
  tidied: number,
  saved: ViewState,
  direction: Direction | null,
  selected: string | null,
): ViewportControls {
  const flow = useReactFlow();
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const [firstFit, setFirstFit] = useState(false);
  /** Until the user moves the view, the first elkjs layout is fitted too. */
  const auto = useRef(!saved.viewport);

  const fitAll = useCallback(
    (duration = 0) => {
      if (!graph || !positions || paneWidth === 0) return;
      // A large graph fits whole: zoomed out it is the canvas overview, made for that.
      const min = graph.nodes.length > OVERVIEW_MIN_NODES ? 0.02 : READABLE_ZOOM;
      const v = fitViewport(boundsOf(graph, positions), paneWidth, paneHeight, min);
      void flow.setViewport(v, { duration });
    },
    [graph, positions, paneWidth, paneHeight, flow],
  );

  // The first picture: the saved view, else the whole graph (from the layout, not the DOM).
  useEffect(() => {
    if (firstFit || !positions || paneWidth === 0) return;
    if (saved.viewport) void flow.setViewport(saved.viewport);
    else fitAll();
    setFirstFit(true);
  }, [firstFit, positions, paneWidth, fitAll, flow, saved.viewport]);

  // The tidier layout arrived and the user has not moved the view: fit it again.
  const fitted = useRef(tidied);
  useEffect(() => {
    if (fitted.current === tidied) return;
    fitted.current = tidied;
    if (auto.current) fitAll();
  }, [tidied, fitAll]);

  // The pane resized (maximized, a terminal opened): refit unless the user has moved the view.
  const size = useRef({ paneWidth, paneHeight });
  useEffect(() => {
    const before = size.current;
    size.current = { paneWidth, paneHeight };
    if (!firstFit || !auto.current || before.paneWidth === 0) return;
    if (before.paneWidth === paneWidth && before.paneHeight === paneHeight) return;
    const p = selected ? positions?.[selected] : undefined;
    if (!p) return fitAll();
    // A selected task (its panel may be what shrank the pane) stays in view: centre it if it left.
    const v = flow.getViewport();
    const x = p.x * v.zoom + v.x;
    const y = p.y * v.zoom + v.y;
    const { width, height } = NODE_SIZE.task;
    if (x < 0 || y < 0 || x + width * v.zoom > paneWidth || y + height * v.zoom > paneHeight)
      void flow.setCenter(p.x + width / 2, p.y + height / 2, { zoom: v.zoom });
  }, [paneWidth, paneHeight, firstFit, fitAll, selected, positions, flow]);

  // Kept by VS Code across reloads; the viewport only once the user moved it (else: fit again).
  const save = useCallback(
    () =>
      saveViewState({
        ...(direction ? { direction } : {}),
        selected,
        ...(!auto.current ? { viewport: flow.getViewport() } : {}),
      }),
    [direction, selected, flow],
  );
  useEffect(save, [save]);

  const onMoveStart = useCallback((e: unknown) => {
    if (e) auto.current = false;
  }, []);
  const onMoveEnd = useCallback(
    (e: unknown) => {
      if (e) save();
    },
    [save],
  );

  const refit = useCallback(() => {
    auto.current = true;
    fitAll(200);
  }, [fitAll]);

  return { firstFit, fitAll, refit, onMoveStart, onMoveEnd };
}
