/**
 * A minimap on a canvas for large pipelines: the nodes are drawn once per status change, and
 * panning moves only the viewport frame (React Flow's SVG minimap repaints thousands of rects
 * on every frame). Click or drag in it to move the view there.
 */
import { useReactFlow, useStore } from '@xyflow/react';
import { useEffect, useMemo, useRef } from 'react';
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { drawNodes } from './drawNodes';
import { boundsOf } from './geometry';

const W = 200;
const H = 150;

export function CanvasMiniMap({
  graph,
  positions,
  status,
  tick,
}: {
  graph: GraphModel;
  positions: Positions;
  status: (id: string) => string;
  tick: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const flow = useReactFlow();
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const b = useMemo(() => boundsOf(graph, positions), [graph, positions]);
  const scale = Math.min(W / b.width, H / b.height);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.setTransform(scale, 0, 0, scale, -b.x * scale, -b.y * scale);
    drawNodes(ctx, graph, positions, status);
  }, [graph, positions, status, tick, b, scale]);

  // The view's rectangle in minimap pixels.
  const frame = {
    left: (-tx / zoom - b.x) * scale,
    top: (-ty / zoom - b.y) * scale,
    width: (width / zoom) * scale,
    height: (height / zoom) * scale,
  };
  const moveTo = (e: React.PointerEvent<HTMLDivElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = b.x + (e.clientX - r.left) / scale;
    const y = b.y + (e.clientY - r.top) / scale;
    void flow.setCenter(x, y, { zoom });
  };
  return (
    <div
      className="canvas-minimap"
      style={{ width: W, height: H }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons === 1) moveTo(e);
      }}
    >
      <canvas ref={canvas} width={W} height={H} />
      <div className="canvas-minimap-frame" style={frame} />
    </div>
  );
}
