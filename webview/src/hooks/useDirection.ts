/** The layout direction: as chosen for this file before (webview state, then the host), else from the pane's shape. */
import { useStore } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { directionFor } from '../layout/fit';
import { post } from '../vscodeApi';
import type { Direction } from './useLayout';

/** Null until it can be decided: the graph has arrived and the pane has a size. */
export function useDirection(
  saved: Direction | undefined,
  fromHost: Direction | null,
  graphArrived: boolean,
): [Direction | null, (d: Direction) => void] {
  const [chosen, setChosen] = useState<Direction | undefined>(saved);
  // Measured: the page has its size (the pane's own size only tells that it is laid out).
  const width = useStore((s) => s.width);
  const choose = useCallback((d: Direction) => {
    setChosen(d);
    post({ type: 'view/direction', direction: d });
  }, []);
  // Decided once: a later resize refits the picture but does not turn it.
  const decided = useRef<Direction | null>(null);
  const remember = useRef<Direction | null>(null);
  if (!chosen && !decided.current && graphArrived && width > 0) {
    // The editor pane's shape (the whole webview: a panel below the canvas must not turn it).
    decided.current = fromHost ?? directionFor(window.innerWidth, window.innerHeight);
    // Kept for this file: a reload (or a later panel below the canvas) does not turn the graph.
    if (!fromHost) remember.current = decided.current;
  }
  useEffect(() => {
    if (remember.current) post({ type: 'view/direction', direction: remember.current });
    remember.current = null;
  });
  return [chosen ?? decided.current, choose];
}
