/** "Did you mean" suggestions by edit distance (a swap of two neighbours counts as one edit). */

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * `editDistance(a, b)` when it is at most `max`, else some number above `max`: stops as soon as
 * two rows in a row exceed it (no later cell can come back under it), on reused buffers.
 */
function distanceWithin(a: string, b: string, max: number, rows: Int32Array[]): number {
  if (a === b) return 0;
  const w = b.length + 1;
  if (rows[0]!.length < w) for (let k = 0; k < 3; k++) rows[k] = new Int32Array(2 * w);
  let before = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j < w; j++) prev[j] = j;
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < w; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      )
        d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max && prevMin > max) return max + 1;
    prevMin = rowMin;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length]!;
}

/** Candidates close to `word`, closest first (at most `limit`). */
export function closest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.max(1, Math.floor(word.length / 3));
  const scored: [string, number][] = [];
  const lower = word.toLowerCase();
  const rows = [new Int32Array(0), new Int32Array(0), new Int32Array(0)];
  // Character counts: an edit changes their total difference by at most 2 (a swap by 0), so
  // half of it is a lower bound of the distance: most candidates are ruled out without the table.
  const counts = new Int32Array(128);
  let ascii = 0;
  for (let i = 0; i < lower.length; i++) {
    const ch = lower.charCodeAt(i);
    if (ch < 128) {
      counts[ch]!++;
      ascii++;
    }
  }
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > max) continue;
    const cl = c.toLowerCase();
    // The difference of the ASCII counts (other characters can only add to it).
    let diff = ascii;
    for (let i = 0; i < cl.length; i++) {
      const ch = cl.charCodeAt(i);
      if (ch < 128) diff += counts[ch]!-- > 0 ? -1 : 1;
    }
    for (let i = 0; i < cl.length; i++) {
      const ch = cl.charCodeAt(i);
      if (ch < 128) counts[ch]!++;
    }
    if (diff > 2 * max) continue;
    const d = distanceWithin(lower, cl, max, rows);
    if (d <= max && d < word.length) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([c]) => c);
}
