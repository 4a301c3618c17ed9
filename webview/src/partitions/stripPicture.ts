/**
 * Strip pictures: each drawn once per (task, version, shown partition, width) on one scratch
 * canvas and kept as a data URL, and drawn only when its node is on screen. React Flow mounts
 * every node once to measure its handles before it culls the off-screen ones: drawing a strip
 * per mounted node made opening a 1,000-task graph draw 1,000 strips for the ~45 in view.
 */
import { cssVar, statusColour } from '../overview/colours';
import { codeColours, drawCells } from './drawStrip';

export interface StripData {
  keys: string[];
  codes: Uint8Array;
  /** Bumped when a code changes: the strip redraws. */
  version: number;
  /** Index of the partition the nodes show. */
  shown: number;
}

/** Cells, then a marker under the shown partition. */
export const CELL_HEIGHT = 7;
export const STRIP_HEIGHT = 10;

let scratch: HTMLCanvasElement | undefined;
let colours: string[] | undefined;
let markColour: string | undefined;
const pictures = new Map<string, { sig: string; url: string }>();

const signature = (d: StripData, width: number): string =>
  `${d.version}|${d.shown}|${width}|${d.keys.length}`;

/** The cached picture of this strip, if it is up to date. */
export function cachedPicture(task: string, d: StripData, width: number): string | undefined {
  const hit = pictures.get(task);
  return hit && hit.sig === signature(d, width) ? hit.url : undefined;
}

/** Draws without reading layout; colours are read once (a computed style per strip forced a style pass each). */
function draw(d: StripData, width: number): HTMLCanvasElement {
  scratch ??= document.createElement('canvas');
  const dpr = window.devicePixelRatio || 1;
  scratch.width = Math.round(width * dpr);
  scratch.height = Math.round(STRIP_HEIGHT * dpr);
  const g = scratch.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, STRIP_HEIGHT);
  colours ??= codeColours(statusColour);
  drawCells(g, d.codes, colours, 0, 0, width, CELL_HEIGHT);
  const n = d.keys.length;
  if (n > 0) {
    const x = ((d.shown + 0.5) / n) * width;
    markColour ??= cssVar('--vscode-foreground', '#cccccc');
    g.fillStyle = markColour;
    g.fillRect(
      Math.max(0, Math.min(width - 4, x - 2)),
      CELL_HEIGHT + 1,
      4,
      STRIP_HEIGHT - CELL_HEIGHT - 1,
    );
  }
  return scratch;
}

/**
 * The strip's picture as a data URL, to `done` (at once: cached, or drawn and encoded now). Only
 * strips on screen get here (a few dozen), so encoding on the main thread costs little; `toBlob`
 * (off the main thread) was tried and made strips appear later on this 2-core machine (two more
 * thread hops per strip).
 */
export function picture(
  task: string,
  d: StripData,
  width: number,
  done: (url: string) => void,
): void {
  const cached = cachedPicture(task, d, width);
  if (cached) return done(cached);
  const url = draw(d, width).toDataURL();
  pictures.set(task, { sig: signature(d, width), url });
  done(url);
}

let observer: IntersectionObserver | undefined;
const waiting = new Map<Element, () => void>();

/** Runs `draw` once `el` is on screen (or near it); the returned function cancels. */
export function whenOnScreen(el: Element, draw: () => void): () => void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        const f = waiting.get(e.target);
        if (!f || !e.isIntersecting) continue;
        waiting.delete(e.target);
        observer!.unobserve(e.target);
        f();
      }
    },
    { rootMargin: '64px' },
  );
  waiting.set(el, draw);
  observer.observe(el);
  return () => {
    if (waiting.delete(el)) observer!.unobserve(el);
  };
}
