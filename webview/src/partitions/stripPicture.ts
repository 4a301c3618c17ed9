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
/** The picture each task asked for last. */
const wanted = new Map<string, string>();

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
 * The strip's picture as a data URL, to `done` (at once when cached). Encoded by `toBlob`, off
 * the main thread: `toDataURL` encoded each PNG on it (most of the strips' cost when a graph
 * opened).
 */
export function picture(
  task: string,
  d: StripData,
  width: number,
  done: (url: string) => void,
): void {
  const cached = cachedPicture(task, d, width);
  if (cached) return done(cached);
  const sig = signature(d, width);
  wanted.set(task, sig);
  // The canvas is copied when toBlob is called: the scratch canvas is free again at once.
  draw(d, width).toBlob((blob) => {
    if (!blob) return;
    // Only the newest picture of a task is kept: an older one finishing late is dropped.
    if (wanted.get(task) !== sig) return;
    // A data URL, not an object URL: the webview's CSP allows `data:` images, not `blob:`.
    const reader = new FileReader();
    reader.onload = () => {
      if (wanted.get(task) !== sig) return;
      const url = String(reader.result);
      pictures.set(task, { sig, url });
      done(url);
    };
    reader.readAsDataURL(blob);
  });
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
