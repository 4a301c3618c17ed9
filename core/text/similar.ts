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

/** Candidates close to `word`, closest first (at most `limit`). */
export function closest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.max(1, Math.floor(word.length / 3));
  const scored: [string, number][] = [];
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > max) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d <= max && d < word.length) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([c]) => c);
}
