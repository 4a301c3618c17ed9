/**
 * The whole graph on one canvas, for large pipelines zoomed out: every node a box in its status
 * colour, every edge a line. React Flow then renders no node or edge at all (thousands of DOM
 * elements were the cost), and panning or a status change is one canvas redraw.
 */
import { useStore } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { cssVar } from './colours';
import { drawNodes } from './drawNodes';
import { drawStrips } from './drawStrips';
import type { PartitionView } from '../partitions/model';
import { anchors, sizeOf } from './geometry';

export interface OverviewProps {
  graph: GraphModel;
  positions: Positions;
  direction: 'RIGHT' | 'DOWN';
  status: (id: string) => string;
  /** Changes whenever a status may have changed. */
  tick: number;
  selected: string | null;
  /** Partitioned tasks' states: their strips, condensed, inside their boxes. */
  partitions: PartitionView | null;
  /** A status filter's tasks: drawn in full, the others faint (null: all in full). */
  lit: Set<string> | null;
}

export function OverviewCanvas({
  graph,
  positions,
  direction,
  status,
  tick,
  selected,
  partitions,
  lit,
}: OverviewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * tx, dpr * ty);
    // Only what is on screen (plus a margin) is drawn.
    const left = -tx / zoom - 250;
    const top = -ty / zoom - 100;
    const right = left + width / zoom + 500;
    const bottom = top + height / zoom + 200;
    const on = (x: number, y: number): boolean =>
      x >= left && x <= right && y >= top && y <= bottom;

    ctx.beginPath();
    for (const e of graph.edges) {
      const a = anchors(positions, e.source, e.target, direction);
      if (!a) continue;
      const [x0, y0, x1, y1] = a;
      if (Math.max(x0, x1) < left || Math.min(x0, x1) > right) continue;
      if (Math.max(y0, y1) < top || Math.min(y0, y1) > bottom) continue;
      ctx.moveTo(a[0], a[1]);
      ctx.lineTo(a[2], a[3]);
    }
    ctx.lineWidth = 1 / zoom;
    ctx.strokeStyle = cssVar('--vscode-editorWidget-border', '#777');
    ctx.globalAlpha = 0.6;
    ctx.stroke();
    ctx.globalAlpha = 1;

    const drawn = drawNodes(ctx, graph, positions, status, on, lit);
    const columns = partitions ? drawStrips(ctx, partitions, positions, on, zoom) : new Map();
    const sel = selected ? positions[selected] : undefined;
    if (selected && sel) {
      const size = sizeOf(selected);
      ctx.lineWidth = 3 / zoom;
      ctx.strokeStyle = cssVar('--vscode-focusBorder', '#0af');
      ctx.strokeRect(sel.x, sel.y, size.width, size.height);
    }
    // What was drawn, for tests and the benchmark (a canvas has no nodes to query).
    const counts = [...drawn].map(([s, n]) => `${s}:${n}`).sort();
    c.dataset.statuses = counts.join(',');
    c.dataset.stripColumns = [...columns]
      .map(([s, n]) => `${s}:${n}`)
      .sort()
      .join(',');
  }, [
    graph,
    positions,
    direction,
    status,
    tick,
    selected,
    partitions,
    lit,
    tx,
    ty,
    zoom,
    width,
    height,
  ]);

  return (
    <canvas
      ref={canvas}
      className="overview"
      style={{ width, height }}
      aria-label="Graph overview: zoom in to see the tasks"
    />
  );
}
