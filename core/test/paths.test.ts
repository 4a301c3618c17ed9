// normalizePath's shortcut for paths that are already normal must agree with the segment-by-segment
// rule on every path, including the odd ones (`a./b`, `..a`, `/`, `.`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizePath, normalizeSegments } from '../paths';

test('normal paths come back as they are, the rest normalised', () => {
  assert.equal(normalizePath('data/raw/2024.csv'), 'data/raw/2024.csv');
  assert.equal(normalizePath('/abs/x'), '/abs/x');
  assert.equal(normalizePath('./a//b/../c/'), 'a/c');
  assert.equal(normalizePath(''), '.');
  assert.equal(normalizePath('.'), '.');
  assert.equal(normalizePath('/'), '/');
  assert.equal(normalizePath('a/..'), '.');
  assert.equal(normalizePath('../x'), '../x');
  assert.equal(normalizePath('/../x'), '/x');
  assert.equal(normalizePath('a./b'), 'a./b');
  assert.equal(normalizePath('..a/b.'), '..a/b.');
});

test('every path over a small alphabet agrees with the segment rule', () => {
  const alphabet = ['a', '.', '/', 'b'];
  let count = 0;
  const walk = (p: string, depth: number): void => {
    assert.equal(normalizePath(p), normalizeSegments(p), JSON.stringify(p));
    count++;
    if (depth === 0) return;
    for (const c of alphabet) walk(p + c, depth - 1);
  };
  walk('', 7);
  assert.ok(count > 20000);
});
