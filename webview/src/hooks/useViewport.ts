/** The view onto the graph: the first fit, refits while the user has not moved it, the saved viewport. */
import { getViewportForBounds, useReactFlow, useStore } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { boundsOf } from '../overview/geometry';
import { saveViewState, type ViewState } from '../vscodeApi';
import type { Direction } from './useLayout';

export interface ViewportControls {
  /** True once the first picture is set (the overview canvas waits for it). */
  firstFit: boolean;
  fitAll(duration?: number): void;
  /** React Flow's onMoveStart: a move by the user (an event) stops the automatic refits. */
  onMoveStart(e: unknown): void;
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

  useEffect(() => {
    if (direction) saveViewState({ direction, selected, viewport: flow.getViewport() });
  }, [direction, selected, flow]);

  const onMoveStart = useCallback((e: unknown) => {
    if (e) auto.current = false;
  }, []);

  return { firstFit, fitAll, onMoveStart };
}
