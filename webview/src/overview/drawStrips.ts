/** Partition strips on the overview canvas: each partitioned node's strip condensed to a few columns inside its box, one fill per state for all of them. */
import type { Positions } from '../../../core/graph/layered';
import { codeColours, runsOf, stripColumns } from '../partitions/drawStrip';
import { CODES, type PartitionView } from '../partitions/model';
import { cssVar, statusColour } from './colours';
import { sizeOf } from './geometry';

/** Columns of a condensed strip at most: readable at overview zoom, and few rects per frame. */
export const OVERVIEW_COLUMNS = 24;
/** Screen pixels per column at least (narrower columns blur into each other). */
const COLUMN_PX = 2;
/** Screen pixels of strip height at least: at the smallest zoom the strip fills the box. */
const HEIGHT_PX = 4;
/** Where in the node's box (flow units): the lower part, below where the name would be. */
const INSET = 8;
const HEIGHT = 18;

/** Runs of equal columns per task, recomputed only when the task's states or the column count change. */
const cache = new Map<
  string,
  { version: number; length: number; columns: number; runs: number[] }
>();

function runsFor(view: PartitionView, task: string, codes: Uint8Array, columns: number): number[] {
  const version = view.version.get(task) ?? 0;
  const hit = cache.get(task);
  if (hit && hit.version === version && hit.length === codes.length && hit.columns === columns)
    return hit.runs;
  const runs = runsOf(stripColumns(codes, columns));
  cache.set(task, { version, length: codes.length, columns, runs });
  return runs;
}

/**
 * Draws the strips of the partitioned nodes that `keep` accepts; returns how many columns of
 * each state were drawn (for tests: a canvas has no elements to query).
 */
export function drawStrips(
  ctx: CanvasRenderingContext2D,
  view: PartitionView,
  positions: Positions,
  keep: (x: number, y: number) => boolean,
  zoom: number,
): Map<string, number> {
  const paths = new Map<number, Path2D>();
  // A dark band behind each strip: its cells must stand out from the box in the node's own colour.
  const band = new Path2D();
  const columns = new Map<string, number>();
  for (const task of view.codes.tasks()) {
    const pos = positions[task];
    if (!pos || !keep(pos.x, pos.y)) continue;
    const codes = view.codes.get(task)!;
    if (codes.length === 0) continue;
    const size = sizeOf(task);
    const width = size.width - 2 * INSET;
    const fit = Math.max(1, Math.floor((width * zoom) / COLUMN_PX));
    const n = Math.min(OVERVIEW_COLUMNS, codes.length, fit);
    const w = width / n;
    const runs = runsFor(view, task, codes, n);
    const height = Math.min(size.height - 2 * INSET, Math.max(HEIGHT, HEIGHT_PX / zoom));
    const y = pos.y + size.height - INSET - height;
    band.rect(pos.x + INSET - 3, y - 3, width + 6, height + 6);
    for (let r = 0; r < runs.length; r += 3) {
      const [a, b, c] = [runs[r]!, runs[r + 1]!, runs[r + 2]!];
      let p = paths.get(c);
      if (!p) paths.set(c, (p = new Path2D()));
      // A hairline between columns when each is a partition: the cells read as cells.
      p.rect(pos.x + INSET + a * w, y, (b - a) * w - (n === codes.length ? 1 : 0), height);
      const name = CODES[c] ?? 'pending';
      columns.set(name, (columns.get(name) ?? 0) + (b - a));
    }
  }
  ctx.fillStyle = cssVar('--vscode-editor-background', '#1e1e1e');
  ctx.fill(band);
  const colours = codeColours(statusColour);
  for (const [c, p] of paths) {
    ctx.fillStyle = colours[c] ?? '#888';
    ctx.fill(p);
  }
  return columns;
}
