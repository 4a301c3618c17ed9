/** "Did you mean": the pruned search (count bound, early stop) finds exactly what the plain table does. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, editDistance } from '../text/similar';
import { rng } from './mutations';

/** The definition: every candidate through the full table. */
function plain(word: string, candidates: string[], limit = 3): string[] {
  const max = Math.max(1, Math.floor(word.length / 3));
  const scored: [string, number][] = [];
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > max) continue;
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= max && d < word.length) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([c]) => c);
}

test('closest equals the plain search on random words (swaps, case, non-ASCII)', () => {
  const r = rng(13);
  const letters = 'abcdeAB_1é✓';
  const word = (): string =>
    Array.from(
      { length: 1 + Math.floor(r() * 14) },
      () => letters[Math.floor(r() * letters.length)],
    ).join('');
  for (let k = 0; k < 3000; k++) {
    const w = word();
    // Candidates near the word (one or two edits, a swap) and random ones.
    const near = Array.from({ length: 10 }, () => {
      const a = [...w];
      const i = Math.floor(r() * a.length);
      if (r() < 0.3 && i + 1 < a.length) [a[i], a[i + 1]] = [a[i + 1]!, a[i]!];
      else if (r() < 0.5) a.splice(i, 1);
      else a.splice(i, 0, letters[Math.floor(r() * letters.length)]!);
      return a.join('');
    });
    const cs = [...near, ...Array.from({ length: 20 }, word)];
    assert.deepEqual(closest(w, cs), plain(w, cs), `${w} in ${cs.join(',')}`);
  }
  assert.deepEqual(closest('extrakt', ['extract', 'clean', 'report']), ['extract']);
});
