/** The layout direction: as chosen for this file before (webview state, then the host), else from the pane's shape. */
import { useStore } from '@xyflow/react';
import { useCallback, useRef, useState } from 'react';
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
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const choose = useCallback((d: Direction) => {
    setChosen(d);
    post({ type: 'view/direction', direction: d });
  }, []);
  // Decided once: a later resize refits the picture but does not turn it.
  const decided = useRef<Direction | null>(null);
  if (chosen) return [chosen, choose];
  if (!decided.current && graphArrived)
    // The pane's shape, once React Flow has measured it (taller than wide: top-down).
    decided.current = fromHost ?? (width > 0 ? directionFor(width, height) : null);
  return [decided.current, choose];
}
