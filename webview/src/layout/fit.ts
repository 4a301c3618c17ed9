/** Pure: the first view of a graph in a pane — the whole graph if it is readable, else its start at a readable zoom. */
import type { Rect } from '../overview/geometry';

/** Below this zoom a node's name (12 px) is under 8 px: fitting stops here and the user pans. */
export const READABLE_ZOOM = 0.7;
const PADDING = 24;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/**
 * Fits `bounds` into a pane of `width`×`height`. When the whole would be smaller than `minZoom`,
 * the zoom stays at `minZoom`: an axis that fits is centred, one that does not shows its start
 * (left or top: where a pipeline begins).
 */
export function fitViewport(
  bounds: Rect,
  width: number,
  height: number,
  minZoom = READABLE_ZOOM,
  maxZoom = 1,
): Viewport {
  const whole = Math.min(
    (width - 2 * PADDING) / Math.max(1, bounds.width),
    (height - 2 * PADDING) / Math.max(1, bounds.height),
  );
  const zoom = Math.min(maxZoom, Math.max(minZoom, whole));
  const axis = (start: number, size: number, pane: number): number => {
    const drawn = size * zoom;
    return drawn + 2 * PADDING <= pane ? (pane - drawn) / 2 - start * zoom : PADDING - start * zoom;
  };
  return {
    x: axis(bounds.x, bounds.width, width),
    y: axis(bounds.y, bounds.height, height),
    zoom,
  };
}

/** Top-down when the pane is taller than wide (a graph opened beside the YAML), else left to right. */
export function directionFor(width: number, height: number): 'RIGHT' | 'DOWN' {
  return height > width ? 'DOWN' : 'RIGHT';
}
