/** Node positions for the graph: painted at once (quick or cached layout), then the tidier elkjs one. */
import { useEffect, useState } from 'react';
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { immediateLayout, layout } from '../layout/layout';

export type Direction = 'RIGHT' | 'DOWN';

export interface LayoutResult {
  positions: Positions | null;
  /** False while the quick layout shows and the tidier one is computed (tests wait on it). */
  final: boolean;
  /** Bumped when the tidier layout replaces the quick one (the viewport may refit). */
  tidied: number;
}

export function useLayout(graph: GraphModel | null, direction: Direction | null): LayoutResult {
  const [result, setResult] = useState<LayoutResult>({ positions: null, final: false, tidied: 0 });
  useEffect(() => {
    if (!graph || !direction) return;
    let live = true;
    const first = immediateLayout(graph, direction);
    setResult((r) => ({ ...r, positions: first.positions, final: first.final }));
    if (!first.final) {
      void layout(graph, direction).then((p) => {
        if (live) setResult((r) => ({ positions: p, final: true, tidied: r.tidied + 1 }));
      });
    }
    return () => {
      live = false;
    };
    // Only a change of structure (names, edges) or direction may move the picture.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graph?.structureKey, direction]);
  return result;
}
