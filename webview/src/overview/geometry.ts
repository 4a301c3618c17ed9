/** Pure geometry of the overview: bounds, hit-testing and edge anchor points over laid-out nodes. */
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { NODE_SIZE } from '../layout/layout';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Above this many nodes, zooming out shows the canvas overview instead of React Flow's nodes. */
export const OVERVIEW_MIN_NODES = 300;
/** Below this zoom, node text is unreadable anyway (the same threshold as simplified nodes). */
export const OVERVIEW_ZOOM = 0.45;

/** Sources are the only nodes whose ids have a `source:` prefix (task names cannot hold ':'). */
export function sizeOf(id: string): { width: number; height: number } {
  return id.startsWith('source:') ? NODE_SIZE.source : NODE_SIZE.task;
}

export function boundsOf(g: GraphModel, positions: Positions): Rect {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of g.nodes) {
    const p = positions[n.id];
    if (!p) continue;
    const s = sizeOf(n.id);
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + s.width);
    y1 = Math.max(y1, p.y + s.height);
  }
  return x0 === Infinity
    ? { x: 0, y: 0, width: 1, height: 1 }
    : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The node under a point in flow coordinates, if any. */
export function nodeAt(g: GraphModel, positions: Positions, x: number, y: number): string | null {
  for (const n of g.nodes) {
    const p = positions[n.id];
    if (!p) continue;
    const s = sizeOf(n.id);
    if (x >= p.x && x <= p.x + s.width && y >= p.y && y <= p.y + s.height) return n.id;
  }
  return null;
}

/** Where an edge leaves its source and enters its target, for the layout direction. */
export function anchors(
  positions: Positions,
  source: string,
  target: string,
  direction: 'RIGHT' | 'DOWN',
): [number, number, number, number] | null {
  const a = positions[source];
  const b = positions[target];
  if (!a || !b) return null;
  const sa = sizeOf(source);
  const sb = sizeOf(target);
  return direction === 'RIGHT'
    ? [a.x + sa.width, a.y + sa.height / 2, b.x, b.y + sb.height / 2]
    : [a.x + sa.width / 2, a.y + sa.height, b.x + sb.width / 2, b.y];
}
