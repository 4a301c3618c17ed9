/** Pure strip drawing: partitions squeezed into columns (the most alarming state wins a column), and runs of equal columns. */
import { CODES } from './model';

/** Which state wins when several partitions share a column: the ones a person must see. */
const RANK = [2, 0, 4, 9, 6, 7, 8, 5, 1];

/** The winning state code of each of `columns` columns over `codes`. */
export function stripColumns(codes: Uint8Array, columns: number): Uint8Array {
  const n = codes.length;
  const out = new Uint8Array(columns);
  if (n === 0) return out;
  for (let x = 0; x < columns; x++) {
    const a = Math.floor((x / columns) * n);
    const b = Math.max(a + 1, Math.floor(((x + 1) / columns) * n));
    let best = codes[a] ?? 0;
    for (let i = a + 1; i < b && i < n; i++) {
      const c = codes[i] ?? 0;
      if ((RANK[c] ?? 0) > (RANK[best] ?? 0)) best = c;
    }
    out[x] = best;
  }
  return out;
}

/** Equal neighbours merged: [start, end, code] triples (a strip of one state is one run). */
export function runsOf(columns: Uint8Array): number[] {
  const runs: number[] = [];
  let start = 0;
  for (let x = 1; x <= columns.length; x++) {
    if (x === columns.length || columns[x] !== columns[start]) {
      runs.push(start, x, columns[start] ?? 0);
      start = x;
    }
  }
  return runs;
}

/** The colour of every state code, in code order. */
export function codeColours(colour: (status: string) => string): string[] {
  return CODES.map((c) => colour(c));
}

/**
 * Draws a strip into `ctx` at (x, y): one cell per partition with a gap when they are few (3 px
 * or more each), else one column per pixel. One fill per state, not one per cell.
 */
export function drawCells(
  ctx: CanvasRenderingContext2D,
  codes: Uint8Array,
  colours: string[],
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const n = codes.length;
  if (n === 0) return;
  const paths = new Map<number, Path2D>();
  const path = (c: number): Path2D => {
    let p = paths.get(c);
    if (!p) paths.set(c, (p = new Path2D()));
    return p;
  };
  if (n * 3 <= width) {
    const w = width / n;
    for (let i = 0; i < n; i++) path(codes[i] ?? 0).rect(x + i * w, y, Math.max(1, w - 1), height);
  } else {
    const cols = stripColumns(codes, Math.floor(width));
    const runs = runsOf(cols);
    for (let r = 0; r < runs.length; r += 3)
      path(runs[r + 2]!).rect(x + runs[r]!, y, runs[r + 1]! - runs[r]!, height);
  }
  for (const [c, p] of paths) {
    ctx.fillStyle = colours[c] ?? '#888';
    ctx.fill(p);
  }
}
