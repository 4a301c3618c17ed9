/** Nodes as filled boxes, one path per colour (thousands of rects in a handful of fills). */
import type { Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';
import { cssVar, statusColour } from './colours';
import { sizeOf } from './geometry';

/**
 * Draws the nodes that `keep` accepts, coloured by status (sources in the widget colour), those
 * outside `lit` (a status filter) faint, and returns how many of each status were drawn.
 */
export function drawNodes(
  ctx: CanvasRenderingContext2D,
  graph: GraphModel,
  positions: Positions,
  status: (id: string) => string,
  keep: (x: number, y: number) => boolean = () => true,
  lit: Set<string> | null = null,
): Map<string, number> {
  const byLook = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const pos = positions[n.id];
    if (!pos || !keep(pos.x, pos.y)) continue;
    const faint = lit !== null && !lit.has(n.id) ? '~' : '';
    const look = faint + (n.kind === 'source' ? 'source' : status(n.id));
    const list = byLook.get(look);
    if (list) list.push(n.id);
    else byLook.set(look, [n.id]);
  }
  const counts = new Map<string, number>();
  for (const [key, ids] of byLook) {
    const look = key.replace('~', '');
    ctx.beginPath();
    for (const id of ids) {
      const pos = positions[id]!;
      const size = sizeOf(id);
      ctx.rect(pos.x, pos.y, size.width, size.height);
    }
    ctx.fillStyle =
      look === 'source' ? cssVar('--vscode-editorWidget-background', '#444') : statusColour(look);
    ctx.globalAlpha = key.startsWith('~') ? 0.25 : 1;
    ctx.fill();
    ctx.globalAlpha = 1;
    counts.set(key, ids.length);
  }
  return counts;
}
