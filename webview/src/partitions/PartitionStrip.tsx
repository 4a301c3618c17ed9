/** A partitioned node's health strip: one cell per partition, coloured by state, drawn on a canvas into an image (thousands stay cheap). */
import { memo, useEffect, useRef } from 'react';
import { cssVar, statusColour } from '../overview/colours';
import { CODES, stateWords } from './model';

export interface StripData {
  keys: string[];
  codes: Uint8Array;
  /** Bumped when a code changes: the strip redraws. */
  version: number;
  /** Index of the partition the nodes show. */
  shown: number;
}

/** Which state wins when several partitions share a pixel: the ones a person must see. */
const RANK = [2, 0, 4, 9, 6, 7, 8, 5, 1];
/** Cells, then a 2-pixel marker under the shown partition. */
const HEIGHT = 7;
const MARK = 3;

/** Asks the picker to show this partition (the strip lives inside React Flow's node tree). */
export const PICK_EVENT = 'tributary:pick-partition';

function keyAtX(d: StripData, x: number, width: number): number {
  return Math.min(d.keys.length - 1, Math.max(0, Math.floor((x / width) * d.keys.length)));
}

/** The strip's CSS width (the node's 220 px less its margins): no layout read per draw. */
const WIDTH = 204;
let markColour: string | undefined;

/**
 * Draws without reading layout or computed styles (colours are cached): dozens of strips mount
 * while panning a large graph, and a forced style or layout pass per strip made frames slow.
 */
function draw(canvas: HTMLCanvasElement, d: StripData): void {
  const width = WIDTH;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
  canvas.height = Math.round((HEIGHT + MARK) * dpr);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, HEIGHT + MARK);
  const n = d.keys.length;
  if (n === 0) return;
  const colours = CODES.map((c) => statusColour(c));
  if (n * 3 <= width) {
    // Few partitions: one cell each with a gap.
    const w = width / n;
    for (let i = 0; i < n; i++) {
      g.fillStyle = colours[d.codes[i] ?? 0] ?? '#888';
      g.fillRect(i * w, 0, Math.max(1, w - 1), HEIGHT);
    }
  } else {
    // Many: one column per pixel, the most alarming state of its partitions.
    for (let x = 0; x < width; x++) {
      const a = Math.floor((x / width) * n);
      const b = Math.max(a + 1, Math.floor(((x + 1) / width) * n));
      let best = d.codes[a] ?? 0;
      for (let i = a + 1; i < b; i++) {
        const c = d.codes[i] ?? 0;
        if ((RANK[c] ?? 0) > (RANK[best] ?? 0)) best = c;
      }
      g.fillStyle = colours[best] ?? '#888';
      g.fillRect(x, 0, 1, HEIGHT);
    }
  }
  // The shown partition: a mark under it.
  const x = ((d.shown + 0.5) / n) * width;
  markColour ??= cssVar('--vscode-foreground', '#cccccc');
  g.fillStyle = markColour;
  g.fillRect(Math.max(0, Math.min(width - 4, x - 2)), HEIGHT + 1, 4, MARK - 1);
}

/** One scratch canvas for every strip: each strip is an image, painted with its node (no canvas layer per node while panning). */
let scratch: HTMLCanvasElement | undefined;

function picture(d: StripData): string {
  scratch ??= document.createElement('canvas');
  draw(scratch, d);
  return scratch.toDataURL();
}

export const PartitionStrip = memo(function PartitionStrip({
  task,
  data,
}: {
  task: string;
  data: StripData;
}) {
  const ref = useRef<HTMLImageElement>(null);
  // Redrawn when the version or the shown partition changes (the codes change in place).
  useEffect(() => {
    if (ref.current) ref.current.src = picture(data);
  }, [data, data.version, data.shown]);
  const states = new Map<number, number>();
  for (const c of data.codes) states.set(c, (states.get(c) ?? 0) + 1);
  const summary = [...states]
    .sort((a, b) => b[1] - a[1])
    .map(([c, k]) => `${k} ${stateWords(c)}`)
    .join(' · ');
  return (
    <img
      ref={ref}
      draggable={false}
      className="partition-strip nodrag"
      data-strip={task}
      data-partitions={data.keys.length}
      data-summary={summary}
      alt={`${task}: ${data.keys.length} partitions: ${summary}`}
      title={`${data.keys.length} partitions: ${summary}`}
      onMouseMove={(e) => {
        const c = e.currentTarget;
        const i = keyAtX(data, e.nativeEvent.offsetX, c.clientWidth);
        c.title = `${data.keys[i]}: ${stateWords(data.codes[i] ?? 0)} (click to show it)`;
      }}
      onClick={(e) => {
        e.stopPropagation();
        const c = e.currentTarget;
        const key = data.keys[keyAtX(data, e.nativeEvent.offsetX, c.clientWidth)];
        window.dispatchEvent(new CustomEvent(PICK_EVENT, { detail: key }));
      }}
    />
  );
});
